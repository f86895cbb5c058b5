import VisageNN

/// A seeded random NHWC graph (batch 1) for the banding tests: a chain of convs (dense 1×1, 3×3,
/// 5×5 with strides 1 and 2, asymmetric pads, residuals, HardSwish, clamps), depthwise convs (with
/// `add_input` and `hard_swish`), element-wise ops (same shape, per-channel, `Mul` with an addend),
/// activations, bilinear resizes, max pools, 2×2 stride-2 ConvTransposes, and global average pools
/// whose `[1, 1, 1, C]` result, directly or through a 1×1 conv, scales a later map (a reduction
/// feeding a broadcast). Some
/// intermediate values are graph outputs too.
struct RandomBandGraph: GraphTesting {
    private var rng: SplitMix
    private(set) var nodes: [Node] = []
    private(set) var constants: [String: Tensor] = [:]
    private(set) var outputs: [String] = []
    let inputShape: Shape
    /// Values so far with their shapes (the last is the chain's head).
    private var values: [(name: String, shape: Shape)]
    /// A per-channel `[1, 1, 1, C]` value computed by a global pool, by channel count.
    private var pooled: [Int: String] = [:]

    /// The graph built so far, named `source`, with input `x` and every recorded output.
    func graph(source: String) -> Graph {
        Graph(source: source, nodes: nodes, initializers: constants,
              inputs: [ValueInfo(name: "x", dims: inputShape.dims.map { .fixed($0) })],
              outputs: outputs.map { ValueInfo(name: $0, dims: nil) })
    }

    init(seed: UInt64) {
        rng = SplitMix(seed: seed)
        let h = 9 + Int(seed % 13), w = 7 + Int((seed / 3) % 17), c = [3, 4, 8, 16][Int(seed % 4)]
        inputShape = [1, h, w, c]
        values = [("x", inputShape)]
    }

    private mutating func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    private mutating func coin() -> Bool { pick(2) == 0 }

    private mutating func constant(_ shape: Shape, scale: Float = 0.5) -> String {
        let name = "c\(constants.count)"
        constants[name] = Self.random(shape, seed: rng.next(), scale: scale)
        return name
    }

    private mutating func add(_ op: String, _ inputs: [String], _ shape: Shape, _ attributes: [String: Attribute] = [:]) {
        let name = "v\(nodes.count)"
        nodes.append(Node(name: "\(op)\(nodes.count)", opType: op, inputs: inputs, outputs: [name], attributes: attributes))
        values.append((name, shape))
    }

    private mutating func activation() -> [String: Attribute] {
        switch pick(3) {
        case 0: return ["activation": .string("Relu")]
        case 1: return ["activation": .string("Clip"), "activation_min": .float(-0.5), "activation_max": .float(0.8)]
        default: return [:]
        }
    }

    /// `steps` random nodes after the input; the head and a few others become outputs.
    mutating func build(steps: Int) {
        for _ in 0..<steps { step() }
        outputs = [values[values.count - 1].name]
        if values.count > 3 { outputs.append(values[values.count / 2].name) }
    }

    private mutating func step() {
        let (x, s) = values[values.count - 1]
        let (h, w, c) = (s[1], s[2], s[3])
        switch pick(10) {
        case 0, 1: conv(x, h, w, c)
        case 2, 3: depthwise(x, h, w, c)
        case 4:
            // Same-shape add with an earlier value when there is one, else a per-channel constant
            if let other = values.dropLast().last(where: { $0.shape == s }) {
                add("Add", [x, other.name], s, activation())
            } else {
                add(coin() ? "Add" : "Mul", [x, constant([c])], s, activation())
            }
        case 5:
            // Mul by a per-channel vector (a pooled value when there is one) plus an addend
            let scale = pooled[c] ?? constant([1, 1, 1, c])
            let addend = values.dropLast().last(where: { $0.shape == s })?.name ?? x
            add("Mul", [x, scale, addend], s)
        case 6:
            add(["Relu", "Sigmoid", "HardSwish"][pick(3)], [x], s)
        case 7:
            if h <= 16 && w <= 16 {
                let mode = ["half_pixel", "align_corners", "asymmetric"][pick(3)]
                let sizes = constant([4], scale: 0)
                constants[sizes] = Tensor(shape: [4], integers: [1, Int64(2 * h), Int64(2 * w), Int64(c)])
                add("Resize", [x, "", "", sizes], [1, 2 * h, 2 * w, c], [
                    "mode": .string("linear"), "coordinate_transformation_mode": .string(mode), "layout": .string("NHWC")])
            } else {
                maxPool(x, h, w, c)
            }
        case 8:
            if h <= 12 && w <= 12 {
                let o = [1, 2, 4][pick(3)]
                add("ConvTranspose", [x, constant([o, 2, 2, c]), constant([o])], [1, 2 * h, 2 * w, o], [
                    "layout": .string("NHWC"), "kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])
            } else {
                maxPool(x, h, w, c)
            }
        default:
            // A barrier: the global mean per channel, kept for a later broadcast multiply
            let name = "p\(nodes.count)"
            nodes.append(Node(name: "gap\(nodes.count)", opType: "GlobalAveragePool", inputs: [x], outputs: [name],
                              attributes: ["layout": .string("NHWC")]))
            var scale = name
            if coin() {
                // Squeeze-excite: a 1×1 conv of the pooled vector (read by its one row) scales the map
                scale = "q\(nodes.count)"
                nodes.append(Node(name: "se\(nodes.count)", opType: "Conv", inputs: [name, constant([c, 1, 1, c]), constant([c])],
                                  outputs: [scale], attributes: ["layout": .string("NHWC"), "kernel_shape": .ints([1, 1])]))
            }
            pooled[c] = scale
            add("Mul", [x, scale], s)
        }
    }

    private mutating func conv(_ x: String, _ h: Int, _ w: Int, _ c: Int) {
        let k = [1, 3, 5][pick(3)], stride = (h >= 6 && w >= 6 && coin()) ? 2 : 1
        let top = pick(k / 2 + 1), left = pick(k / 2 + 1), bottom = pick(k / 2 + 1), right = pick(k / 2 + 1)
        let oh = (h + top + bottom - k) / stride + 1, ow = (w + left + right - k) / stride + 1
        guard oh >= 1, ow >= 1 else { return add("Relu", [x], [1, h, w, c]) }
        let m = [4, 8, 16, 20][pick(4)]
        var inputs = [x, constant([m, k, k, c]), constant([m])]
        var attributes = activation()
        attributes.merge(["layout": .string("NHWC"), "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]),
                          "pads": .ints([top, left, bottom, right])], uniquingKeysWith: { a, _ in a })
        if coin() { attributes["hard_swish"] = .int(1) }
        if let residual = values.last(where: { $0.shape[1] == oh && $0.shape[2] == ow && $0.shape[3] <= m }), coin() {
            inputs.append(residual.name)
        }
        add("Conv", inputs, [1, oh, ow, m], attributes)
    }

    private mutating func depthwise(_ x: String, _ h: Int, _ w: Int, _ c: Int) {
        guard c > 1 else { return conv(x, h, w, c) }
        let k = coin() ? 3 : 5, stride = (h >= 6 && w >= 6 && coin()) ? 2 : 1, p = k / 2
        var attributes = activation()
        attributes.merge(["layout": .string("NHWC"), "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]),
                          "group": .int(c)], uniquingKeysWith: { a, _ in a })
        let same = stride == 1
        let pads = same ? [p, p, p, p] : [p, p, pick(p + 1), pick(p + 1)]
        attributes["pads"] = .ints(pads)
        if coin() { attributes["hard_swish"] = .int(1) }
        if same && coin() { attributes["add_input"] = .int(1) }
        let oh = (h + pads[0] + pads[2] - k) / stride + 1, ow = (w + pads[1] + pads[3] - k) / stride + 1
        add("Conv", [x, constant([c, k, k, 1]), constant([c])], [1, oh, ow, c], attributes)
    }

    private mutating func maxPool(_ x: String, _ h: Int, _ w: Int, _ c: Int) {
        if h >= 4 && w >= 4 && coin() {
            add("MaxPool", [x], [1, h / 2, w / 2, c], ["layout": .string("NHWC"), "kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])
        } else {
            add("MaxPool", [x], [1, h, w, c], ["layout": .string("NHWC"), "kernel_shape": .ints([3, 3]),
                                               "pads": .ints([1, 1, 1, 1])])
        }
    }
}
