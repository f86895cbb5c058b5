import Foundation
import VisageNN
#if canImport(Glibc)
import Glibc
#endif

/// Turning files into model inputs for `visage model run`, and timing repeated runs.
enum ModelInput {
    /// A tensor of `shape` from a .npy file or a PPM/PGM image mapped to `range` ("LOW,HIGH").
    static func load(_ path: String, shape: Shape, range: String) throws -> Tensor {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        if ext == "npy" {
            let t = try ModelTensorFiles.readNPY(path)
            guard t.shape == shape else {
                throw ModelTensorFiles.FileError(description: "\(path): shape \(t.shape), the model input is \(shape)")
            }
            return t
        }
        guard ext == "ppm" || ext == "pgm" else {
            throw ModelTensorFiles.FileError(description: "\(path): expected .npy, .ppm or .pgm")
        }
        let bounds = range.split(separator: ",").compactMap { Float($0) }
        guard bounds.count == 2 else { throw ModelTensorFiles.FileError(description: "--range '\(range)': expected LOW,HIGH") }
        let image = try ModelTensorFiles.readPNM(path)
        // Channel axis: 1 (NCHW) or last (NHWC), whichever matches the image's channel count.
        guard shape.rank == 4 else { throw ModelTensorFiles.FileError(description: "model input \(shape) is not an image") }
        let nchw = shape[1] == image.channels
        guard nchw || shape[3] == image.channels else {
            throw ModelTensorFiles.FileError(description: "\(path): \(image.channels) channels, the model input is \(shape)")
        }
        let (h, w) = nchw ? (shape[2], shape[3]) : (shape[1], shape[2])
        let c = image.channels
        var out = [Float](repeating: 0, count: shape.elementCount)
        // Bilinear, half-pixel centres: output pixel centre (x + 0.5)·W_in/W − 0.5 in input pixels.
        for y in 0..<h {
            let sy = max(0, min(Float(image.height - 1), (Float(y) + 0.5) * Float(image.height) / Float(h) - 0.5))
            let y0 = Int(sy), y1 = min(y0 + 1, image.height - 1), fy = sy - Float(y0)
            for x in 0..<w {
                let sx = max(0, min(Float(image.width - 1), (Float(x) + 0.5) * Float(image.width) / Float(w) - 0.5))
                let x0 = Int(sx), x1 = min(x0 + 1, image.width - 1), fx = sx - Float(x0)
                for ch in 0..<c {
                    func p(_ yy: Int, _ xx: Int) -> Float { Float(image.samples[(yy * image.width + xx) * c + ch]) }
                    let v = (p(y0, x0) * (1 - fx) + p(y0, x1) * fx) * (1 - fy) + (p(y1, x0) * (1 - fx) + p(y1, x1) * fx) * fy
                    let scaled = bounds[0] + v / 255 * (bounds[1] - bounds[0])
                    out[nchw ? (ch * h + y) * w + x : (y * w + x) * c + ch] = scaled
                }
            }
        }
        return Tensor(shape: shape, floats: out)
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
