/// The one place TFLite builtins map onto ONNX op names (STYLE.md habit 2).
///
/// Activations are NHWC. Convolution weights stay in TFLite's OHWI order (`Graph` documents the
/// NHWC forms); spatial attributes are ONNX's H-then-W lists, pads `[top, left, bottom, right]` in
/// pixels, computed here from SAME/VALID with the input shape (SAME puts the odd pixel at the end).
extension TFLiteLowering {
    /// Builtins (and custom ops) `lower` accepts, for the "unsupported" message.
    static let supportedOps = [
        "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE",
        "DEQUANTIZE (of constants)", "DENSIFY (of constants)", "FULLY_CONNECTED", "HARD_SWISH", "LOGISTIC",
        "MAX_POOL_2D", "MEAN", "MUL", "PAD", "PRELU", "RELU", "RELU6", "RESHAPE", "RESIZE_BILINEAR", "SOFTMAX",
        "SUB", "TANH", "TRANSPOSE_CONV", "CUSTOM:Convolution2DTransposeBias",
    ]

    /// Appends the node(s) for one operator.
    mutating func lower(_ op: TFLiteOperator) throws {
        let code = model.operatorCodes[op.opcodeIndex]
        let names = self.names
        func x(_ i: Int) -> String { names[op.inputs[i]] }
        switch (code.builtin, op.options) {
        case (TFLiteBuiltin.conv2D, .conv(let c)), (TFLiteBuiltin.depthwiseConv2D, .conv(let c)):
            try lowerConv(op, c, depthwise: code.builtin == TFLiteBuiltin.depthwiseConv2D)
        case (TFLiteBuiltin.transposeConv, .transposeConv(let c)):
            try expect(op, inputs: 3...4)   // output_shape, weights [O,kh,kw,I], input, bias?
            try lowerTransposeConv(op, c, input: 2, weight: 1, bias: op.inputs.count == 4 ? 3 : nil)
        case (TFLiteBuiltin.custom, .transposeConv(let c)):
            try expect(op, inputs: 3...3)   // input, weights [O,kh,kw,I], bias
            try lowerTransposeConv(op, c, input: 0, weight: 1, bias: 2)
        case (TFLiteBuiltin.maxPool2D, .pool(let p)), (TFLiteBuiltin.averagePool2D, .pool(let p)):
            try lowerPool(op, p, max: code.builtin == TFLiteBuiltin.maxPool2D)
        case (TFLiteBuiltin.add, .activation(let a)), (TFLiteBuiltin.mul, .activation(let a)),
             (TFLiteBuiltin.sub, .activation(let a)):
            try expect(op, inputs: 2...2)
            _ = try input(op, 0); _ = try input(op, 1)
            let type = code.builtin == TFLiteBuiltin.add ? "Add" : code.builtin == TFLiteBuiltin.mul ? "Mul" : "Sub"
            emit(op, type, inputs: [x(0), x(1)], try activationAttributes(op, a))
        case (TFLiteBuiltin.relu, _), (TFLiteBuiltin.logistic, _), (TFLiteBuiltin.hardSwish, _), (TFLiteBuiltin.tanh, _):
            try expect(op, inputs: 1...1)
            _ = try input(op, 0)
            let type = [TFLiteBuiltin.relu: "Relu", TFLiteBuiltin.logistic: "Sigmoid",
                        TFLiteBuiltin.hardSwish: "HardSwish", TFLiteBuiltin.tanh: "Tanh"][code.builtin] ?? ""
            emit(op, type, inputs: [x(0)])
        case (TFLiteBuiltin.relu6, _):
            try expect(op, inputs: 1...1)
            _ = try input(op, 0)
            let lo = addConstant(Tensor(shape: [], floats: [0]), "relu6_min")
            let hi = addConstant(Tensor(shape: [], floats: [6]), "relu6_max")
            emit(op, "Clip", inputs: [x(0), lo, hi])
        case (TFLiteBuiltin.prelu, _):
            try expect(op, inputs: 2...2)
            _ = try input(op, 0); _ = try input(op, 1)
            emit(op, "PRelu", inputs: [x(0), x(1)])
        case (TFLiteBuiltin.pad, _):
            try expect(op, inputs: 2...2)
            let rank = try input(op, 0).tensor.shape.count
            let paddings = try constant(op, 1)
            guard paddings.shape.dims == [rank, 2] else {
                throw error(op, "paddings shape \(paddings.shape), expected [\(rank),2]", .invalid)
            }
            let p = paddings.asIntegers.map(Int.init)
            let pads = (0..<rank).map { p[2 * $0] } + (0..<rank).map { p[2 * $0 + 1] }
            emit(op, "Pad", inputs: [x(0), addInts(pads, "pads")])
        case (TFLiteBuiltin.reshape, _):
            try expect(op, inputs: 1...2)
            _ = try input(op, 0)
            // The output tensor's declared shape is the resolved new shape (no -1 left in it).
            emit(op, "Reshape", inputs: [x(0), addInts(subgraph.tensors[op.outputs[0]].shape, "shape")])
        case (TFLiteBuiltin.concatenation, .concatenation(let axis, let a)):
            guard !op.inputs.isEmpty, op.outputs.count == 1 else { throw error(op, "expected inputs and 1 output", .invalid) }
            for i in op.inputs.indices { _ = try input(op, i) }
            emit(op, "Concat", inputs: op.inputs.map { names[$0] }, ["axis": .int(axis)].merging(try activationAttributes(op, a)) { $1 })
        case (TFLiteBuiltin.resizeBilinear, .resizeBilinear(let alignCorners, let halfPixel)):
            try lowerResize(op, alignCorners: alignCorners, halfPixel: halfPixel)
        case (TFLiteBuiltin.depthToSpace, .depthToSpace(let block)):
            try expect(op, inputs: 1...1)
            _ = try input(op, 0)
            guard block >= 1 else { throw error(op, "block_size \(block), expected ≥ 1", .invalid) }
            emit(op, "DepthToSpace", inputs: [x(0)], ["blocksize": .int(block), "mode": .string("DCR"), "layout": .string("NHWC")])
        case (TFLiteBuiltin.mean, .reducer(let keepDims)):
            try expect(op, inputs: 2...2)
            let rank = try input(op, 0).tensor.shape.count
            let axes = try constant(op, 1).asIntegers.map { Int($0) < 0 ? Int($0) + rank : Int($0) }.sorted()
            if rank == 4 && axes == [1, 2] && keepDims {
                emit(op, "GlobalAveragePool", inputs: [x(0)], ["layout": .string("NHWC")])
            } else {
                emit(op, "ReduceMean", inputs: [x(0), addInts(axes, "axes")], ["keepdims": .int(keepDims ? 1 : 0)])
            }
        case (TFLiteBuiltin.fullyConnected, .fullyConnected(let a, _)):
            try lowerFullyConnected(op, a)
        case (TFLiteBuiltin.softmax, .softmax(let beta)):
            try expect(op, inputs: 1...1)
            _ = try input(op, 0)
            var source = x(0)
            if beta != 1 {
                extra += 1
                let scaled = "\(names[op.outputs[0]])__beta\(extra)"
                emit(op, "Mul", inputs: [source, addConstant(Tensor(shape: [], floats: [beta]), "beta")], outputs: [scaled])
                source = scaled
            }
            emit(op, "Softmax", inputs: [source], ["axis": .int(-1)])
        default:
            throw error(op, "operator \(model.opName(op)) is not supported (supported: \(Self.supportedOps.joined(separator: ", ")))")
        }
    }

    /// CONV_2D (weight `[O,kh,kw,I/group]`) and DEPTHWISE_CONV_2D (weight `[1,kh,kw,C·M]`, reordered
    /// to `[C·M,kh,kw,1]` with `group = C`).
    private mutating func lowerConv(_ op: TFLiteOperator, _ c: TFLiteOptions.Conv, depthwise: Bool) throws {
        try expect(op, inputs: 2...3)
        let xShape = try input(op, 0).tensor.shape
        var weight = try constant(op, 1)
        guard xShape.count == 4, weight.shape.rank == 4 else {
            throw error(op, "input \(xShape) and weight \(weight.shape) must be rank 4 (NHWC, OHWI)", .invalid)
        }
        guard c.strideW >= 1, c.strideH >= 1, c.dilationW >= 1, c.dilationH >= 1 else {
            throw error(op, "strides (\(c.strideH),\(c.strideW)) and dilations (\(c.dilationH),\(c.dilationW)) must be ≥ 1", .invalid)
        }
        let channels = xShape[3], kh = weight.shape[1], kw = weight.shape[2]
        var weightName = names[op.inputs[1]]
        let group: Int
        if depthwise {
            let outC = weight.shape[3]
            guard weight.shape[0] == 1, channels > 0, outC % channels == 0,
                  c.depthMultiplier == 0 || c.depthMultiplier * channels == outC else {
                throw error(op, "depthwise weight \(weight.shape) with depth_multiplier \(c.depthMultiplier) does not fit \(channels) input channels", .invalid)
            }
            var reordered = [Float](repeating: 0, count: weight.elementCount)
            for o in 0..<outC { for k in 0..<(kh * kw) { reordered[o * kh * kw + k] = weight.floats[k * outC + o] } }
            weight = Tensor(shape: [outC, kh, kw, 1], floats: reordered)
            weightName = addConstant(weight, "\(weightName)_ohwi")
            group = channels
        } else {
            guard weight.shape[3] > 0, channels % weight.shape[3] == 0 else {
                throw error(op, "weight \(weight.shape) does not divide \(channels) input channels", .invalid)
            }
            group = channels / weight.shape[3]
        }
        let ph = Self.pads(c.padding, input: xShape[1], kernel: kh, stride: c.strideH, dilation: c.dilationH)
        let pw = Self.pads(c.padding, input: xShape[2], kernel: kw, stride: c.strideW, dilation: c.dilationW)
        var inputs = [names[op.inputs[0]], weightName]
        if op.inputs.count == 3 && op.inputs[2] >= 0 { _ = try constant(op, 2); inputs.append(names[op.inputs[2]]) }
        emit(op, "Conv", inputs: inputs, [
            "layout": .string("NHWC"), "kernel_shape": .ints([kh, kw]), "strides": .ints([c.strideH, c.strideW]),
            "dilations": .ints([c.dilationH, c.dilationW]), "pads": .ints([ph.begin, pw.begin, ph.end, pw.end]),
            "group": .int(group),
        ].merging(try activationAttributes(op, c.activation)) { $1 })
    }

    /// TRANSPOSE_CONV and MediaPipe's Convolution2DTransposeBias: weight `[O,kh,kw,I]`; the pads
    /// are what the full output `(in−1)·s + k` loses to reach the declared output size.
    private mutating func lowerTransposeConv(_ op: TFLiteOperator, _ c: TFLiteOptions.Conv, input i: Int, weight w: Int, bias b: Int?) throws {
        let xShape = try input(op, i).tensor.shape
        let weight = try constant(op, w)
        let outShape = subgraph.tensors[op.outputs[0]].shape
        guard xShape.count == 4, weight.shape.rank == 4, outShape.count == 4, c.strideH >= 1, c.strideW >= 1 else {
            throw error(op, "input \(xShape), weight \(weight.shape), output \(outShape), strides (\(c.strideH),\(c.strideW)) are not a 2-D transposed conv", .invalid)
        }
        let kh = weight.shape[1], kw = weight.shape[2]
        let totalH = (xShape[1] - 1) * c.strideH + kh - outShape[1], totalW = (xShape[2] - 1) * c.strideW + kw - outShape[2]
        guard totalH >= 0, totalW >= 0 else {
            throw error(op, "output \(outShape) is larger than the full transposed-conv output; not supported")
        }
        var inputs = [names[op.inputs[i]], names[op.inputs[w]]]
        if let b, op.inputs[b] >= 0 { _ = try constant(op, b); inputs.append(names[op.inputs[b]]) }
        emit(op, "ConvTranspose", inputs: inputs, [
            "layout": .string("NHWC"), "kernel_shape": .ints([kh, kw]), "strides": .ints([c.strideH, c.strideW]),
            "pads": .ints([totalH / 2, totalW / 2, totalH - totalH / 2, totalW - totalW / 2]), "group": .int(1),
        ].merging(try activationAttributes(op, c.activation)) { $1 })
    }

    /// MAX_POOL_2D / AVERAGE_POOL_2D. TFLite's average pool divides by the in-bounds count, which is
    /// ONNX's `count_include_pad = 0` (the default).
    private mutating func lowerPool(_ op: TFLiteOperator, _ p: TFLiteOptions.Pool, max: Bool) throws {
        try expect(op, inputs: 1...1)
        let xShape = try input(op, 0).tensor.shape
        guard xShape.count == 4, p.strideW >= 1, p.strideH >= 1, p.filterW >= 1, p.filterH >= 1 else {
            throw error(op, "input \(xShape), filter \(p.filterH)×\(p.filterW), stride \(p.strideH)×\(p.strideW) invalid", .invalid)
        }
        let ph = Self.pads(p.padding, input: xShape[1], kernel: p.filterH, stride: p.strideH, dilation: 1)
        let pw = Self.pads(p.padding, input: xShape[2], kernel: p.filterW, stride: p.strideW, dilation: 1)
        emit(op, max ? "MaxPool" : "AveragePool", inputs: [names[op.inputs[0]]], [
            "layout": .string("NHWC"), "kernel_shape": .ints([p.filterH, p.filterW]), "strides": .ints([p.strideH, p.strideW]),
            "pads": .ints([ph.begin, pw.begin, ph.end, pw.end]),
        ].merging(try activationAttributes(op, p.activation)) { $1 })
    }

    /// RESIZE_BILINEAR: size input `[newH, newW]` → ONNX Resize `sizes` `[N, newH, newW, C]`.
    private mutating func lowerResize(_ op: TFLiteOperator, alignCorners: Bool, halfPixel: Bool) throws {
        try expect(op, inputs: 2...2)
        let xShape = try input(op, 0).tensor.shape
        let size = try constant(op, 1).asIntegers.map(Int.init)
        guard xShape.count == 4, size.count == 2, size.allSatisfy({ $0 >= 1 }) else {
            throw error(op, "input \(xShape) with size \(size) is not a 2-D NHWC resize", .invalid)
        }
        guard !(alignCorners && halfPixel) else { throw error(op, "align_corners and half_pixel_centers both set", .invalid) }
        let mode = alignCorners ? "align_corners" : halfPixel ? "half_pixel" : "asymmetric"
        emit(op, "Resize", inputs: [names[op.inputs[0]], "", "", addInts([xShape[0], size[0], size[1], xShape[3]], "sizes")], [
            "mode": .string("linear"), "coordinate_transformation_mode": .string(mode), "layout": .string("NHWC"),
        ])
    }

    /// FULLY_CONNECTED: `y = x·Wᵀ + b` with W `[O, I]`, as Gemm(transB = 1), reshaping x to
    /// `[-1, I]` and the result to the declared output shape when they are not 2-D.
    private mutating func lowerFullyConnected(_ op: TFLiteOperator, _ a: TFLiteActivation) throws {
        try expect(op, inputs: 2...3)
        let xShape = try input(op, 0).tensor.shape
        let weight = try constant(op, 1)
        guard weight.shape.rank == 2, let count = TFLiteTensor.elementCount(xShape), weight.shape[1] > 0,
              count % weight.shape[1] == 0 else {
            throw error(op, "input \(xShape) does not fit weight \(weight.shape)", .invalid)
        }
        var source = names[op.inputs[0]]
        if xShape.count != 2 || xShape[1] != weight.shape[1] {
            extra += 1
            let flat = "\(source)__flat\(extra)"
            emit(op, "Reshape", inputs: [source, addInts([count / weight.shape[1], weight.shape[1]], "shape")], outputs: [flat])
            source = flat
        }
        var inputs = [source, names[op.inputs[1]]]
        if op.inputs.count == 3 && op.inputs[2] >= 0 { _ = try constant(op, 2); inputs.append(names[op.inputs[2]]) }
        let outName = names[op.outputs[0]], outShape = subgraph.tensors[op.outputs[0]].shape
        let direct = outShape.count == 2
        let gemmOut = direct ? outName : "\(outName)__gemm"
        emit(op, "Gemm", inputs: inputs, outputs: [gemmOut], ["transB": .int(1)].merging(try activationAttributes(op, a)) { $1 })
        if !direct { emit(op, "Reshape", inputs: [gemmOut, addInts(outShape, "shape")]) }
    }
}
