import CKernels

/// SHA-256 (FIPS 180-4), used to check model files against the hashes pinned in the manifest and
/// to identify each input image in the reports.
///
/// Foundation on Linux has no digest API and the package takes no crypto dependency, so the
/// compression runs in C (CKernels/sha256.c): the Intel SHA extensions where the CPU has them,
/// about ten times the textbook loop, otherwise the portable textbook algorithm. Checked against
/// the FIPS 180-4 examples and Python's hashlib in `SHA256Tests`, both variants.
///
/// ```swift
/// SHA256.hex(of: Array("abc".utf8))   // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func digest(of bytes: [UInt8]) -> [UInt8] {
        digest(of: bytes, variant: 0).digest
    }

    /// The digest with an explicit variant (1 portable, 2 SHA extensions, 0 or one the CPU lacks:
    /// the best it has) and the variant that ran; for tests.
    static func digest(of bytes: [UInt8], variant: Int32) -> (digest: [UInt8], variant: Int32) {
        var out = [UInt8](repeating: 0, count: 32)
        var ran: Int32 = 0
        bytes.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { digest in
                // An empty array may have no base address; C then reads nothing (length 0).
                ran = visage_sha256_isa(variant, input.baseAddress, input.count, digest.baseAddress)
            }
        }
        return (out, ran)
    }

    /// The digest of `bytes` as 64 lower-case hex digits.
    public static func hex(of bytes: [UInt8]) -> String {
        hexString(digest(of: bytes))
    }

    /// 32 digest bytes as 64 lower-case hex digits.
    static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var chars = [UInt8]()
        chars.reserveCapacity(64)
        for byte in digest {
            chars.append(digits[Int(byte >> 4)])
            chars.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: chars, as: UTF8.self)
    }
}
