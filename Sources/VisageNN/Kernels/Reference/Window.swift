/// The sliding-window geometry shared by Conv, ConvTranspose and the pools (2-D, H then W).
///
/// Coordinates are element indices on the input grid. Output position `o` reads input rows
/// `o·stride − padBegin + k·dilation` for `k` in `0..<kernel`; reads outside `0..<in` are padding.
/// 1-D ops are run as 2-D with H = 1.
struct Window2D: Sendable {
    var kernel: (h: Int, w: Int)
    var stride: (h: Int, w: Int)
    var dilation: (h: Int, w: Int)
    /// Padding before (top, left) and after (bottom, right), in input elements.
    var padBegin: (h: Int, w: Int)
    var padEnd: (h: Int, w: Int)
    var input: (h: Int, w: Int)
    var output: (h: Int, w: Int)

    /// Attribute names read by `init(context:…)`.
    static let attributeNames: Set<String> = ["auto_pad", "kernel_shape", "strides", "dilations", "pads"]

    /// Reads `kernel_shape` (or `kernel` when given), `strides`, `dilations`, `pads`, `auto_pad`
    /// for a 1-D or 2-D spatial input of size `spatial`.
    ///
    /// - Parameter ceilMode: pooling's `ceil_mode`; the last window must start inside the input
    ///   or the leading padding.
    init(_ ctx: PrepareContext, spatial: [Int], kernel givenKernel: [Int]?, ceilMode: Bool = false) throws {
        let rank = spatial.count
        guard rank == 1 || rank == 2 else { throw ctx.unsupported("\(rank)-D spatial input (only 1-D and 2-D)") }
        guard let k = try givenKernel ?? ctx.ints("kernel_shape"), k.count == rank else {
            throw ctx.error("kernel_shape missing or not of rank \(rank)")
        }
        let s = try ctx.ints("strides") ?? Array(repeating: 1, count: rank)
        let d = try ctx.ints("dilations") ?? Array(repeating: 1, count: rank)
        var p = try ctx.ints("pads") ?? Array(repeating: 0, count: 2 * rank)
        guard s.count == rank, d.count == rank, p.count == 2 * rank else {
            throw ctx.error("strides \(s), dilations \(d), pads \(p) do not match a \(rank)-D kernel")
        }
        guard (k + s + d).allSatisfy({ $0 >= 1 && $0 < 1 << 16 }), p.allSatisfy({ $0 >= 0 && $0 < 1 << 16 }) else {
            throw ctx.error("kernel_shape \(k), strides \(s), dilations \(d), pads \(p) out of range")
        }
        var out = [Int](repeating: 0, count: rank)
        let autoPad = try ctx.string("auto_pad", "NOTSET")
        for i in 0..<rank {
            let extent = (k[i] - 1) * d[i] + 1
            switch autoPad {
            case "NOTSET":
                let span = spatial[i] + p[i] + p[i + rank] - extent
                guard span >= 0 else { throw ctx.error("window \(extent) larger than padded input \(spatial[i])") }
                out[i] = (ceilMode ? (span + s[i] - 1) / s[i] : span / s[i]) + 1
                if ceilMode && (out[i] - 1) * s[i] >= spatial[i] + p[i] { out[i] -= 1 }
            case "VALID":
                guard spatial[i] >= extent else { throw ctx.error("window \(extent) larger than input \(spatial[i])") }
                out[i] = (spatial[i] - extent) / s[i] + 1
                p[i] = 0
                p[i + rank] = 0
            case "SAME_UPPER", "SAME_LOWER":
                out[i] = (spatial[i] + s[i] - 1) / s[i]
                let total = max(0, (out[i] - 1) * s[i] + extent - spatial[i])
                let small = total / 2
                p[i] = autoPad == "SAME_UPPER" ? small : total - small
                p[i + rank] = total - p[i]
            default: throw ctx.unsupported("auto_pad '\(autoPad)'")
            }
        }
        func hw(_ a: [Int], _ offset: Int = 0, pad: Int) -> (h: Int, w: Int) {
            rank == 1 ? (pad, a[offset]) : (a[offset], a[offset + 1])
        }
        kernel = hw(k, pad: 1)
        stride = hw(s, pad: 1)
        dilation = hw(d, pad: 1)
        padBegin = hw(p, pad: 0)
        padEnd = hw(p, rank, pad: 0)
        input = hw(spatial, pad: 1)
        output = hw(out, pad: 1)
    }
}

/// Element strides of an image tensor `[N, C, H, W]`-indexed, for either layout.
struct ImageStrides: Sendable {
    var n: Int, c: Int, h: Int, w: Int

    init(layout: Layout, channels: Int, height: Int, width: Int) {
        switch layout {
        case .nchw: self.n = channels * height * width; self.c = height * width; self.h = width; self.w = 1
        case .nhwc: self.n = channels * height * width; self.c = 1; self.h = width * channels; self.w = channels
        }
    }
}

/// An image tensor's (N, C, spatial) split for `layout`; 3-D tensors are 1-D spatial.
func imageDims(_ shape: Shape, _ layout: Layout) -> (n: Int, c: Int, spatial: [Int])? {
    guard shape.rank == 3 || shape.rank == 4 else { return nil }
    switch layout {
    case .nchw: return (shape[0], shape[1], Array(shape.dims[2...]))
    case .nhwc: return (shape[0], shape[shape.rank - 1], Array(shape.dims[1..<(shape.rank - 1)]))
    }
}

/// The output shape for an image of (n, c, spatial) in `layout`.
func imageShape(_ n: Int, _ c: Int, _ spatial: [Int], _ layout: Layout) -> Shape {
    layout == .nchw ? Shape([n, c] + spatial) : Shape([n] + spatial + [c])
}
