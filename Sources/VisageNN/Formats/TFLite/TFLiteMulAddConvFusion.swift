/// The squeeze-excite input rewrite after `TFLiteMulAddFusion`: a per-channel `Mul(a, s, c)`
/// (`a·s[ch] + c`, no activation) read only by a 1×1 stride-1 unpadded dense NHWC `Conv` (at most a
/// bias, any fused activation) becomes that `Conv` with attribute `input_mul_add = 1` and inputs
/// `[a, W, B, "", "", s, c]` (see `Conv`): the conv's input is computed a band of rows at a time
/// into a small buffer and read back from cache, so the full-size product tensor is never written.
/// Exact: each input value is the same `a·s` rounded, plus `c` rounded, and the conv sums the same
/// values in the same order. `s` must be declared `[…, C]` with C values, `c` with `a`'s shape; the
/// `Mul` output must not be a graph output, and it must hold at least `minimumElements` values:
/// below that the separate pass stays in L2 and fusing measured slower. Selfie segmentation's
/// 128×128×16 decoder block ends in `Conv1×1(a·s + skip)` (its 64×64×16 one is left as it is).
enum TFLiteMulAddConvFusion {
    /// The smallest product tensor fused: selfie's 128×128×16 block (per-node profiler, Mul + Conv
    /// 276-282 -> 237-239 us) is over it, its 64×64×16 one (48-49 -> 52 us) under it.
    static let minimumElements = 1 << 17

    /// The rewrite; `minimum` (tests: 0) overrides `minimumElements`.
    static func apply(_ nodes: [Node], shapes: [String: [Int]], outputs: Set<String>,
                      minimum: Int = minimumElements) -> [Node] {
        // At the Conv's place: every input of both nodes is defined by then.
        TFLitePairRewrite.apply(nodes, outputs: outputs, place: .consumer) { mul, conv in
            guard mul.opType == "Mul", mul.domain.isEmpty, mul.attributes.isEmpty, mul.inputs.count == 3,
                  !mul.inputs.contains(""), let a = shapes[mul.inputs[0]], a.count == 4, a[3] > 0,
                  let s = shapes[mul.inputs[1]], s.last == a[3], s.reduce(1, *) == a[3],
                  shapes[mul.inputs[2]] == a, shapes[mul.outputs[0]] == a, a.reduce(1, *) >= minimum,
                  isPointwise(conv), conv.inputs[0] == mul.outputs[0],
                  !conv.inputs.dropFirst().contains(mul.outputs[0]) else { return nil }
            var node = conv
            node.inputs = [mul.inputs[0], conv.inputs[1], conv.inputs.count > 2 ? conv.inputs[2] : "", "", "",
                           mul.inputs[1], mul.inputs[2]]
            node.attributes["input_mul_add"] = .int(1)
            return node
        }
    }

    /// A dense NHWC `Conv` with a 1×1 kernel, stride 1, no padding, at most a bias and a fused
    /// activation (no other epilogue).
    static func isPointwise(_ n: Node) -> Bool {
        let known = FusedActivation.attributeNames.union(["kernel_shape", "strides", "dilations", "pads", "group", "layout"])
        guard n.opType == "Conv", n.domain.isEmpty, n.attributes["layout"] == .string("NHWC"),
              (2...3).contains(n.inputs.count), n.outputs.count == 1, !n.inputs.contains(""),
              n.attributes.keys.allSatisfy(known.contains),
              (n.attributes["group"] ?? .int(1)) == .int(1), n.attributes["kernel_shape"] == .ints([1, 1]) else { return false }
        let ones: Attribute = .ints([1, 1])
        return (n.attributes["strides"] ?? ones) == ones && (n.attributes["dilations"] ?? ones) == ones
            && (n.attributes["pads"] ?? .ints([0, 0, 0, 0])) == .ints([0, 0, 0, 0])
    }
}
