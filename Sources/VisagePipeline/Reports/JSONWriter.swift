import Foundation

/// Writes `JSONValue`s as stable bytes: keys sorted by their UTF-8 bytes, numbers rounded to a
/// fixed number of decimals with trailing zeros dropped, `-0` written as `0`, strings escaped the
/// same way every time. The same value always gives the same bytes, on every platform.
public struct JSONWriter: Sendable {
    /// Decimal places kept for `.number` values (0...9).
    public var precision: Int
    /// Two-space indented output when true, one line when false (JSON Lines).
    public var pretty: Bool

    /// Creates a writer.
    public init(precision: Int = 4, pretty: Bool = true) {
        precondition((0...9).contains(precision), "precision must be 0...9")
        self.precision = precision
        self.pretty = pretty
    }

    /// The text of `value`, ending with a newline when pretty.
    public func string(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return pretty ? out + "\n" : out
    }

    /// The UTF-8 bytes of `string(value)`.
    public func data(_ value: JSONValue) -> Data { Data(string(value).utf8) }

    /// A number as fixed-precision text: `0.5`, `12`, `-3.1416`.
    ///
    /// The C library's `%.Nf` (what `String(format:)` formats with) into a stack buffer, then
    /// trailing zeros and a bare point dropped.
    public func number(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        // %.9f of the largest Double: 309 integer digits, sign, point and 9 decimals.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer -> String in
            guard let base = buffer.baseAddress else { return "null" }
            let written = Self.formats[precision].withCString { format in
                withVaList([v]) { vsnprintf(base, buffer.count, format, $0) }
            }
            var n = Int(max(0, min(written, Int32(buffer.count - 1))))
            let bytes = UnsafeMutableRawPointer(base).assumingMemoryBound(to: UInt8.self)
            if UnsafeBufferPointer(start: bytes, count: n).contains(UInt8(ascii: ".")) {
                while n > 0 && bytes[n - 1] == UInt8(ascii: "0") { n -= 1 }
                if n > 0 && bytes[n - 1] == UInt8(ascii: ".") { n -= 1 }
            }
            if n == 2 && bytes[0] == UInt8(ascii: "-") && bytes[1] == UInt8(ascii: "0") { return "0" }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: n), as: UTF8.self)
        }
    }

    /// `%.0f` … `%.9f`.
    private static let formats = (0...9).map { "%.\($0)f" }

    private func write(_ value: JSONValue, indent: Int, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .number(let v): out += number(v)
        case .string(let s): out += "\"" + Self.escape(s) + "\""
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                newline(indent + 1, &out)
                write(item, indent: indent + 1, into: &out)
            }
            newline(indent, &out)
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                newline(indent + 1, &out)
                out += "\"" + Self.escape(key) + "\":" + (pretty ? " " : "")
                if let member = members[key] { write(member, indent: indent + 1, into: &out) }
            }
            newline(indent, &out)
            out += "}"
        }
    }

    private func newline(_ indent: Int, _ out: inout String) {
        guard pretty else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }

    /// JSON string escaping: quote, backslash and control characters; other text stays UTF-8.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
