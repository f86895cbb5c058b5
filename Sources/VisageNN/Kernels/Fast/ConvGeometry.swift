/// The NHWC convolution geometry the fast paths handle: one image batch, explicit pads, no
/// `auto_pad`, read once from a node's attributes (see `Graph` for the NHWC forms).
///
/// Coordinates are pixels; output pixel `(oy, ox)` reads input rows
/// `oy·strideH − padTop + ky·dilationH` (likewise columns). Taps outside the image read 0.
struct NHWCConvGeometry: Sendable {
    var batch: Int
    var inH: Int, inW: Int, inC: Int
    var outH: Int, outW: Int, outC: Int
    var kH: Int, kW: Int
    var strideH: Int, strideW: Int
    var dilationH: Int, dilationW: Int
    var padTop: Int, padLeft: Int
    var group: Int

    /// The geometry of a `Conv` node with `layout = "NHWC"`, or nil when the node is anything else
    /// (other layout, auto_pad, non-constant weight, inconsistent shapes): the reference then runs.
    /// A node with the NHWC epilogue (residual, PRelu slope, HardSwish; see `Conv`) is nil unless
    /// `epilogue` says the caller applies it; likewise `add_input` unless `addInput` says so, and
    /// `input_mul_add` (inputs 5 and 6) unless `inputMulAdd` does.
    init?(_ ctx: PrepareContext, epilogue: Bool = false, addInput: Bool = false, inputMulAdd: Bool = false) {
        guard ctx.node.opType == "Conv", ctx.node.domain.isEmpty, (try? ctx.layout()) == .nhwc,
              (try? ctx.string("auto_pad", "NOTSET")) == "NOTSET",
              (2...(inputMulAdd ? 7 : epilogue ? 5 : 3)).contains(ctx.inputs.count),
              let x = ctx.inputs[0], let w = ctx.inputs[1], w.constant != nil,
              x.shape.rank == 4, w.shape.rank == 4 else { return nil }
        var known: Set<String> = ["kernel_shape", "strides", "dilations", "pads", "group", "layout",
                                  "activation", "activation_min", "activation_max"]
        if epilogue { known.insert("hard_swish") }
        if addInput { known.insert("add_input") }
        if inputMulAdd { known.insert("input_mul_add") }
        guard ctx.node.attributes.keys.allSatisfy(known.contains) else { return nil }
        let strides = (try? ctx.ints("strides")) ?? nil ?? [1, 1]
        let dilations = (try? ctx.ints("dilations")) ?? nil ?? [1, 1]
        let pads = (try? ctx.ints("pads")) ?? nil ?? [0, 0, 0, 0]
        guard let group = try? ctx.int("group", 1), strides.count == 2, dilations.count == 2, pads.count == 4,
              (strides + dilations).allSatisfy({ $0 >= 1 }), pads.allSatisfy({ $0 >= 0 }) else { return nil }
        batch = x.shape[0]; inH = x.shape[1]; inW = x.shape[2]; inC = x.shape[3]
        outC = w.shape[0]; kH = w.shape[1]; kW = w.shape[2]
        if let k = (try? ctx.ints("kernel_shape")) ?? nil, k != [kH, kW] { return nil }
        guard group >= 1, inC % group == 0, outC % group == 0, w.shape[3] == inC / group else { return nil }
        if let b = ctx.optionalInput(2) { guard b.constant != nil, b.shape.elementCount == outC else { return nil } }
        strideH = strides[0]; strideW = strides[1]; dilationH = dilations[0]; dilationW = dilations[1]
        padTop = pads[0]; padLeft = pads[1]
        self.group = group
        let spanH = inH + pads[0] + pads[2] - ((kH - 1) * dilationH + 1)
        let spanW = inW + pads[1] + pads[3] - ((kW - 1) * dilationW + 1)
        guard spanH >= 0, spanW >= 0, batch >= 1 else { return nil }
        outH = spanH / strideH + 1
        outW = spanW / strideW + 1
    }

    /// The output shape `[N, outH, outW, outC]`.
    var outputShape: Shape { [batch, outH, outW, outC] }

    /// The input shape `[N, inH, inW, inC]`.
    var inputShape: Shape { [batch, inH, inW, inC] }
}
