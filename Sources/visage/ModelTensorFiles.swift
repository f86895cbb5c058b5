import Foundation
import VisageNN

/// Reading and writing tensors for `visage model run`: NumPy `.npy` (float32/float64, C order) and

enum ModelTensorFiles {
    struct FileError: Error, CustomStringConvertible {
        let description: String
    }

    /// A `.npy` file as a float32 tensor (format: NumPy `lib/format.py`, versions 1–3).
    static func readNPY(_ path: String) throws -> Tensor {
        guard let data = FileManager.default.contents(atPath: path) else { throw FileError(description: "\(path): cannot read") }
        let b = [UInt8](data)
        guard b.count >= 10, b[0] == 0x93, Array(b[1...5]) == Array("NUMPY".utf8) else {
            throw FileError(description: "\(path): not a .npy file")
        }
        let major = b[6]
        let headerLength = major == 1 ? Int(b[8]) | Int(b[9]) << 8 : (b.count >= 12 ? Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24 : -1)
        let start = major == 1 ? 10 : 12
        guard headerLength >= 0, start + headerLength <= b.count else { throw FileError(description: "\(path): truncated .npy header") }
        let header = String(decoding: b[start..<(start + headerLength)], as: UTF8.self)
        guard !header.contains("'fortran_order': True") else { throw FileError(description: "\(path): Fortran order is not supported") }
        let descr = header.range(of: "'descr': '")
            .map { String(header[$0.upperBound...].prefix { $0 != "'" }) } ?? ""
        guard let shapeStart = header.range(of: "'shape': ("), let shapeEnd = header[shapeStart.upperBound...].firstIndex(of: ")") else {
            throw FileError(description: "\(path): .npy header has no shape")
        }
        let dims = header[shapeStart.upperBound..<shapeEnd].split(separator: ",")
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let shape = Shape(dims)
        guard let count = shape.checkedElementCount, count <= Interpreter.maxElementCount else {
            throw FileError(description: "\(path): shape \(shape) is too large")
        }
        let body = b[(start + headerLength)...]
        switch descr {
        case "<f4":
            guard body.count == count * 4 else { throw FileError(description: "\(path): \(body.count) bytes for \(shape) float32") }
            return Tensor(shape: shape, floats: body.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        case "<f8":
            guard body.count == count * 8 else { throw FileError(description: "\(path): \(body.count) bytes for \(shape) float64") }
            return Tensor(shape: shape, floats: body.withUnsafeBytes { $0.bindMemory(to: Double.self).map { Float($0) } })
        default:
            throw FileError(description: "\(path): dtype '\(descr)' (only <f4 and <f8)")
        }
    }

    /// Writes a float32 tensor as `.npy` version 1.
    static func writeNPY(_ tensor: Tensor, to path: String) throws {
        let dims = tensor.shape.dims.map(String.init)
        let shape = dims.count == 1 ? "(\(dims[0]),)" : "(\(dims.joined(separator: ", ")))"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)]
        out += Array(header.utf8)
        tensor.floats.withUnsafeBytes { out += Array($0) }
        guard FileManager.default.createFile(atPath: path, contents: Data(out)) else {
            throw FileError(description: "\(path): cannot write")
        }
    }
}
