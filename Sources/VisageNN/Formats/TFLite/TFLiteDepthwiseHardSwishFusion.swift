/// The depthwise HardSwish rewrite after `TFLiteConvFusion`: `HardSwish(dw(x))`, where `dw` is an
/// NHWC depthwise `Conv` (group = C, at most a bias, no fused activation, no `add_input`), becomes
/// that `Conv` with attribute `hard_swish = 1` (see `Conv`): the activation is applied to each sum
/// before the store, one pass instead of two. Exact: the same float operations on the same values
/// (`v·min(max(v/6 + 0.5, 0), 1)`). The conv output must be read by the `HardSwish` only and not be
/// a graph output; the `HardSwish` must carry no attributes. Shapes are the file's declared tensor
/// shapes (the interpreter checks them again at prepare). Selfie segmentation's squeeze-excite
/// blocks open with `HardSwish(DepthwiseConv(x))` (3×3 and 5×5, strides 1 and 2).
enum TFLiteDepthwiseHardSwishFusion {
    static func apply(_ nodes: [Node], shapes: [String: [Int]], outputs: Set<String>) -> [Node] {
        TFLitePairRewrite.apply(nodes, outputs: outputs, place: .producer) { conv, act in
            guard isPlainDepthwise(conv, shapes), act.opType == "HardSwish", act.domain.isEmpty,
                  act.attributes.isEmpty, act.inputs == [conv.outputs[0]], act.outputs.count == 1 else { return nil }
            var node = conv
            node.attributes["hard_swish"] = .int(1)
            node.outputs = act.outputs
            return node
        }
    }

    /// An NHWC depthwise `Conv` (group = input channels > 1, per the declared input shape) with at
    /// most a bias and no fused activation, `hard_swish` or `add_input`.
    static func isPlainDepthwise(_ n: Node, _ shapes: [String: [Int]]) -> Bool {
        let known: Set<String> = ["kernel_shape", "strides", "dilations", "pads", "group", "layout"]
        guard n.opType == "Conv", n.domain.isEmpty, n.attributes["layout"] == .string("NHWC"),
              (2...3).contains(n.inputs.count), n.outputs.count == 1, !n.inputs.contains(""),
              n.attributes.keys.allSatisfy(known.contains),
              let x = shapes[n.inputs[0]], x.count == 4, x[3] > 1 else { return false }
        return n.attributes["group"] == .int(x[3])
    }
}
