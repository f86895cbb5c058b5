/// Reads the orientation tag (0x0112) from an EXIF TIFF structure, bounds-checked.
///
/// `tiff` is the APP1 payload after `"Exif\0\0"` (JPEG) or an eXIf chunk (PNG): a TIFF header
/// (`II*\0` little-endian or `MM\0*` big-endian), the offset of IFD0, then 12-byte entries.
/// Only IFD0 is read. Every offset is checked against the buffer; anything malformed yields nil.
public enum ExifOrientation {
    /// The orientation 1–8, or nil when there is no readable tag or its value is out of range.
    public static func read<Bytes: RandomAccessCollection<UInt8>>(_ tiff: Bytes) -> Int? where Bytes.Index == Int {
        let base = tiff.startIndex
        let count = tiff.count
        guard count >= 8 else { return nil }
        let little: Bool
        switch (tiff[base], tiff[base + 1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= count else { return nil }
            let a = Int(tiff[base + at]), b = Int(tiff[base + at + 1])
            return little ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int) -> Int? {
            guard let lo = u16(little ? at : at + 2), let hi = u16(little ? at + 2 : at) else { return nil }
            return hi << 16 | lo
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return nil }
        for i in 0..<entries {
            let entry = ifd + 2 + i * 12
            guard let tag = u16(entry) else { return nil }
            guard tag == 0x0112 else { continue }
            guard let type = u16(entry + 2), let n = u32(entry + 4), n >= 1 else { return nil }
            let value: Int?
            switch type {
            case 3: value = u16(entry + 8)         // SHORT, stored in the value field
            case 4, 9: value = u32(entry + 8)      // LONG / SLONG written by some tools
            default: value = nil
            }
            guard let v = value, (1...8).contains(v) else { return nil }
            return v
        }
        return nil
    }
}
