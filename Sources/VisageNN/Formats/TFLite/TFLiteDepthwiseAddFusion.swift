/// The depthwise residual rewrite after `TFLiteConvFusion`: `Add(x, dw(x))` (either order), where
/// `dw` is an NHWC depthwise `Conv` (group = C = M, any fused activation) whose output has the
/// shape of its input `x`, becomes that `Conv` with attribute `add_input = 1` (see `Conv`):
/// `y = x + act(dw(x))`, one pass instead of two. Exact: the same float operations (IEEE addition
/// is commutative). The `Add` must carry no attributes (no activation of its own), the conv output
/// must be read by that `Add` only and not be a graph output. Shapes are the file's declared
/// tensor shapes (the interpreter checks them again at prepare). Selfie segmentation's decoder
/// blocks are `Add(x, Relu(DepthwiseConv(x)))`.
enum TFLiteDepthwiseAddFusion {
    static func apply(_ nodes: [Node], shapes: [String: [Int]], outputs: Set<String>) -> [Node] {
        TFLitePairRewrite.apply(nodes, outputs: outputs, place: .producer) { conv, add in
            guard isDepthwise(conv, shapes), add.opType == "Add", add.domain.isEmpty, add.attributes.isEmpty,
                  add.outputs.count == 1, add.inputs.count == 2,
                  Set(add.inputs) == [conv.inputs[0], conv.outputs[0]] else { return nil }
            var node = conv
            node.attributes["add_input"] = .int(1)
            node.outputs = add.outputs
            return node
        }
    }

    /// An NHWC depthwise `Conv` (group = input channels = output channels) with at most a bias and
    /// a fused activation, whose declared output shape equals its input's. (The weight's declared
    /// shape is the file's `[1, kH, kW, C]`; the lowering reorders it.)
    static func isDepthwise(_ n: Node, _ shapes: [String: [Int]]) -> Bool {
        let known = FusedActivation.attributeNames.union(["kernel_shape", "strides", "dilations", "pads", "group", "layout"])
        guard n.opType == "Conv", n.domain.isEmpty, n.attributes["layout"] == .string("NHWC"),
              (2...3).contains(n.inputs.count), n.outputs.count == 1, !n.inputs.contains(""),
              n.attributes.keys.allSatisfy(known.contains),
              let x = shapes[n.inputs[0]], let y = shapes[n.outputs[0]], x.count == 4, x == y, x[3] > 1 else { return false }
        return n.attributes["group"] == .int(x[3])
    }
}
