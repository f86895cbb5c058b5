import Foundation
import VisageImaging
import VisageNN
#if canImport(Glibc)
import Glibc
#endif

/// Turning files into model inputs for `visage model run`, and timing repeated runs.
enum ModelInput {
    /// A tensor of `shape` from a .npy file, or a JPEG/PNG image resized (bilinear, half-pixel) to the
    /// input's H×W and mapped linearly so that 0 → LOW and 255 → HIGH of `range` ("LOW,HIGH").
    static func load(_ path: String, shape: Shape, range: String) throws -> Tensor {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        if ext == "npy" {
            let t = try ModelTensorFiles.readNPY(path)
            guard t.shape == shape else {
                throw ModelTensorFiles.FileError(description: "\(path): shape \(t.shape), the model input is \(shape)")
            }
            return t
        }
        let bounds = range.split(separator: ",").compactMap { Float($0) }
        guard bounds.count == 2, bounds[0] < bounds[1] else {
            throw ModelTensorFiles.FileError(description: "--range '\(range)': expected LOW,HIGH with LOW < HIGH")
        }
        // Channel axis: 1 (NCHW) or last (NHWC), whichever has size 1 or 3.
        guard shape.rank == 4, [1, 3].contains(shape[1]) || [1, 3].contains(shape[3]) else {
            throw ModelTensorFiles.FileError(description: "\(path): model input \(shape) is not an image (N,C,H,W or N,H,W,C with C 1 or 3)")
        }
        let nchw = [1, 3].contains(shape[1]) && !(shape[3] == 3)
        let (channels, h, w) = nchw ? (shape[1], shape[2], shape[3]) : (shape[3], shape[1], shape[2])
        let decoded = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: path))
        let rgb = decoded.rgb()
        let pixels = channels == 3 ? rgb : Self.luma(rgb)
        let normalization = TensorNormalization(
            inputRange: 0...255, outputRange: bounds[0]...bounds[1], layout: nchw ? .nchw : .nhwc)
        let tensor = try pixels.resized(width: w, height: h, method: .bilinear).normalized(normalization)
        return Tensor(shape: Shape(tensor.shape), floats: tensor.values)
    }

    /// Grey levels from RGB with the BT.601 luma weights (what Pillow's "L" mode uses).
    static func luma(_ rgb: Image8) -> Image8 {
        var grey = Image8(width: rgb.width, height: rgb.height, channels: 1, fill: 0)
        for i in 0..<rgb.pixelCount {
            let r = Float(rgb.pixels[3 * i]), g = Float(rgb.pixels[3 * i + 1]), b = Float(rgb.pixels[3 * i + 2])
            grey.pixels[i] = UInt8(clampingFloat: 0.299 * r + 0.587 * g + 0.114 * b)
        }
        return grey
    }

    /// Median milliseconds of `times` zero-copy runs, and the heap's in-use growth over them.
    static func time(_ net: Interpreter, feeds: [String: Tensor], times: Int) throws -> (Double, Int?) {
        for (name, t) in feeds { try net.setInput(name, t.floats) }
        net.invoke()
        var samples: [Double] = []
        samples.reserveCapacity(times)
        let before = heapInUse()
        for _ in 0..<times {
            let start = DispatchTime.now().uptimeNanoseconds
            net.invoke()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        let after = heapInUse()
        // Insertion sort in place: no allocation, so the valgrind count in count_allocations.sh
        // does not grow with the number of runs.
        var i = 1
        while i < samples.count {
            let v = samples[i]
            var j = i - 1
            while j >= 0 && samples[j] > v { samples[j + 1] = samples[j]; j -= 1 }
            samples[j + 1] = v
            i += 1
        }
        return (samples[samples.count / 2], before.flatMap { b in after.map { $0 - b } })
    }

    /// glibc `mallinfo2().uordblks` (bytes in use), or nil. `mallinfo2` returns a 10-word struct,
    /// which the x86-64 SysV ABI returns through a caller-provided pointer.
    static func heapInUse() -> Int? {
        #if arch(x86_64) && os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallinfo2") else { return nil }
        typealias Fn = @convention(c) (UnsafeMutableRawPointer) -> Void
        var words = [Int](repeating: 0, count: 10)
        words.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { unsafeBitCast(symbol, to: Fn.self)(base) }
        }
        return words[7]
        #else
        return nil
        #endif
    }
}
