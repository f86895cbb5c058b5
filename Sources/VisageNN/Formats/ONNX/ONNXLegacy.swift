/// Rewrites nodes of older ONNX opsets into the newest form the kernels implement.
///
/// ONNX moved several attributes into inputs over time; the kernels read the new form only:
/// - Pad < 11: attributes `pads`, `value` → inputs 1 and 2 (constants).
/// - Clip < 11: attributes `min`, `max` → inputs 1 and 2.
/// - Squeeze/Unsqueeze < 13, ReduceMean < 18: attribute `axes` → input 1.
/// - Gemm < 7: `broadcast` dropped (C always broadcasts since 7). PRelu < 7: a 1-D slope is
///   per channel (axis 1) → Visage attribute `channel_slope = 1`.
/// - Softmax < 13: "coerce to 2-D" semantics → Visage attribute `coerce_2d = 1`.
/// - BatchNormalization < 9 / < 14: inference-irrelevant `is_test`, `momentum`, `spatial = 1` dropped.
enum ONNXLegacy {
    static func upgrade(_ node: Node, opset: Int, source: String, graph: inout Graph) throws -> Node {
        guard node.domain.isEmpty else { return node }
        var n = node
        let stem = (node.name.isEmpty ? node.outputs.first ?? "node" : node.name) + "/visage_legacy_"
        func moveToInput(_ attr: String, at index: Int, _ make: (Attribute) -> Tensor?) {
            guard let a = n.attributes[attr], let t = make(a) else { return }
            while n.inputs.count < index { n.inputs.append("") }
            let name = stem + attr
            graph.initializers[name] = t
            if n.inputs.count == index { n.inputs.append(name) } else { n.inputs[index] = name }
            n.attributes[attr] = nil
        }
        let ints: (Attribute) -> Tensor? = {
            if case .ints(let v) = $0 { return Tensor(shape: [v.count], integers: v.map(Int64.init)) }
            return nil
        }
        let scalar: (Attribute) -> Tensor? = {
            if case .float(let v) = $0 { return Tensor(shape: [], floats: [v]) }
            return nil
        }
        switch node.opType {
        case "Pad" where opset < 11:
            moveToInput("pads", at: 1, ints)
            moveToInput("value", at: 2, scalar)
        case "Clip" where opset < 11:
            if n.attributes["min"] == nil && n.attributes["max"] != nil { n.attributes["min"] = .float(-.infinity) }
            moveToInput("min", at: 1, scalar)
            moveToInput("max", at: 2, scalar)
        case "Squeeze" where opset < 13, "Unsqueeze" where opset < 13, "ReduceMean" where opset < 18:
            moveToInput("axes", at: 1, ints)
        case "Gemm" where opset < 7:
            n.attributes["broadcast"] = nil
        case "PRelu" where opset < 7:
            n.attributes["channel_slope"] = .int(1)
        case "Softmax" where opset < 13:
            n.attributes["coerce_2d"] = .int(1)
        case "BatchNormalization":
            n.attributes["is_test"] = nil
            n.attributes["momentum"] = nil
            if n.attributes["spatial"] == .int(1) { n.attributes["spatial"] = nil }
            if opset < 9 && n.outputs.count > 1 { n.outputs = [n.outputs[0]] }
        default: break
        }
        return n
    }
}
