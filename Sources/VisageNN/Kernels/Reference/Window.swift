/// The sliding-window geometry shared by Conv, ConvTranspose and the pools: 1 to 3 spatial axes,
/// stored as (depth, height, width) with leading axes of size 1 for 1-D and 2-D.
///
/// Coordinates are element indices on the input grid. Output position `o` on an axis reads input
/// index `o·stride − padBegin + k·dilation` for `k` in `0..<kernel`; indices outside `0..<input`
/// are padding. Attributes (`kernel_shape`, `strides`, `dilations`, `pads` as
/// `[begin…, end…]`) keep ONNX's outermost-first order in both layouts.
struct Window: Sendable {
    /// Per axis (depth, height, width).
    var kernel: [Int], stride: [Int], dilation: [Int], padBegin: [Int], padEnd: [Int], input: [Int], output: [Int]

    /// Attribute names read by `init`.
    static let attributeNames: Set<String> = ["auto_pad", "kernel_shape", "strides", "dilations", "pads"]

    /// Reads `kernel_shape` (or `kernel` when given), `strides`, `dilations`, `pads`, `auto_pad`
    /// for a spatial input of size `spatial` (1 to 3 axes).
    ///
    /// - Parameter ceilMode: pooling's `ceil_mode`; the last window must start inside the input
    ///   or the leading padding.
    init(_ ctx: PrepareContext, spatial: [Int], kernel givenKernel: [Int]?, ceilMode: Bool = false) throws {
        let rank = spatial.count
        guard (1...3).contains(rank) else { throw ctx.unsupported("\(rank)-D spatial input (1-D to 3-D only)") }
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
        let lead = 3 - rank
        func fill(_ a: [Int], _ v: Int) -> [Int] { Array(repeating: v, count: lead) + a }
        kernel = fill(k, 1)
        stride = fill(s, 1)
        dilation = fill(d, 1)
        padBegin = fill(Array(p[..<rank]), 0)
        padEnd = fill(Array(p[rank...]), 0)
        input = fill(spatial, 1)
        output = fill(out, 1)
    }

    /// Pads `spatial` (1–3 axes) to (depth, height, width) with leading 1s.
    static func threeAxes(_ spatial: [Int], fill: Int = 1) -> [Int] {
        Array(repeating: fill, count: 3 - spatial.count) + spatial
    }

    /// The output's spatial sizes with the leading filler axes dropped (`rank` axes).
    func outputSpatial(_ rank: Int) -> [Int] { Array(output.suffix(rank)) }
}

/// Element strides of an image tensor indexed as (n, c, d, h, w), for either layout.
struct ImageStrides: Sendable {
    var n: Int, c: Int, d: Int, h: Int, w: Int

    /// Strides for `channels` channels over a (depth, height, width) grid.
    init(layout: Layout, channels: Int, size: [Int]) {
        let (depth, height, width) = (size[0], size[1], size[2])
        n = channels * depth * height * width
        switch layout {
        case .nchw: c = depth * height * width; d = height * width; h = width; w = 1
        case .nhwc: c = 1; d = height * width * channels; h = width * channels; w = channels
        }
    }

    /// The offset of (n, c, z, y, x).
    @inline(__always) func offset(_ n: Int, _ c: Int, _ z: Int, _ y: Int, _ x: Int) -> Int {
        n * self.n + c * self.c + z * d + y * h + x * w
    }
}

/// An image tensor's (N, C, spatial) split for `layout`: rank 3 to 5 (1-D to 3-D spatial).
func imageDims(_ shape: Shape, _ layout: Layout) -> (n: Int, c: Int, spatial: [Int])? {
    guard (3...5).contains(shape.rank) else { return nil }
    switch layout {
    case .nchw: return (shape[0], shape[1], Array(shape.dims[2...]))
    case .nhwc: return (shape[0], shape[shape.rank - 1], Array(shape.dims[1..<(shape.rank - 1)]))
    }
}

/// The shape of an image of (n, c, spatial) in `layout`.
func imageShape(_ n: Int, _ c: Int, _ spatial: [Int], _ layout: Layout) -> Shape {
    layout == .nchw ? Shape([n, c] + spatial) : Shape([n] + spatial + [c])
}
