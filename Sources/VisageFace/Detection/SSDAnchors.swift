/// One SSD anchor: a centre and size in the model input's normalized coordinates (0…1 across the
/// input tensor, x right, y down; 0 is the left edge of the first input pixel).
public struct Anchor: Sendable, Hashable {
    public var xCenter: Float
    public var yCenter: Float
    public var width: Float
    public var height: Float

    public init(xCenter: Float, yCenter: Float, width: Float, height: Float) {
        self.xCenter = xCenter
        self.yCenter = yCenter
        self.width = width
        self.height = height
    }
}

/// The options of MediaPipe's `SsdAnchorsCalculator` (`ssd_anchors_calculator.proto`), with the
/// values the two BlazeFace graphs use (MODELS.md §2a).
public struct SSDAnchorOptions: Sendable, Hashable {
    public var inputWidth: Int
    public var inputHeight: Int
    public var minScale: Float
    public var maxScale: Float
    public var anchorOffsetX: Float = 0.5
    public var anchorOffsetY: Float = 0.5
    /// Feature-map strides, one per layer; consecutive equal strides are merged into one grid.
    public var strides: [Int]
    public var aspectRatios: [Float] = [1.0]
    /// When > 0, each layer adds one more anchor with this aspect ratio and the geometric mean
    /// of this layer's scale and the next one's.
    public var interpolatedScaleAspectRatio: Float = 1.0
    /// When true every anchor has width = height = 1 (the decoder then reads sizes directly).
    public var fixedAnchorSize: Bool = true
    public var reduceBoxesInLowestLayer: Bool = false

    public init(inputWidth: Int, inputHeight: Int, minScale: Float, maxScale: Float, strides: [Int],
                interpolatedScaleAspectRatio: Float = 1.0) {
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.minScale = minScale
        self.maxScale = maxScale
        self.strides = strides
        self.interpolatedScaleAspectRatio = interpolatedScaleAspectRatio
    }

    /// `face_detection_short_range.pbtxt`: 128×128, strides [8, 16, 16, 16] → 512 + 384 = 896 anchors.
    public static let blazeFaceShortRange = SSDAnchorOptions(
        inputWidth: 128, inputHeight: 128, minScale: 0.1484375, maxScale: 0.75, strides: [8, 16, 16, 16])

    /// `face_detection_full_range.pbtxt`: 192×192, one stride-4 layer, one anchor per cell → 2304 anchors.
    public static let blazeFaceFullRange = SSDAnchorOptions(
        inputWidth: 192, inputHeight: 192, minScale: 0.1484375, maxScale: 0.75, strides: [4],
        interpolatedScaleAspectRatio: 0.0)
}

extension SSDAnchorOptions {
    /// The anchors in model output order: layer groups in stride order, then y (rows), then x,
    /// then the anchors of a cell, exactly as `SsdAnchorsCalculator::GenerateAnchors`.
    public func anchors() -> [Anchor] {
        var anchors: [Anchor] = []
        let numLayers = strides.count
        var layer = 0
        while layer < numLayers {
            var anchorWidths: [Float] = [], anchorHeights: [Float] = []
            var ratios: [Float] = [], scales: [Float] = []
            var last = layer
            while last < numLayers && strides[last] == strides[layer] {
                let scale = Self.scale(minScale, maxScale, last, numLayers)
                if last == 0 && reduceBoxesInLowestLayer {
                    ratios += [1.0, 2.0, 0.5]
                    scales += [0.1, scale, scale]
                } else {
                    for ratio in aspectRatios {
                        ratios.append(ratio)
                        scales.append(scale)
                    }
                    if interpolatedScaleAspectRatio > 0 {
                        let next: Float = last == numLayers - 1 ? 1.0 : Self.scale(minScale, maxScale, last + 1, numLayers)
                        scales.append((scale * next).squareRoot())
                        ratios.append(interpolatedScaleAspectRatio)
                    }
                }
                last += 1
            }
            for (ratio, scale) in zip(ratios, scales) {
                let root = ratio.squareRoot()
                anchorHeights.append(scale / root)
                anchorWidths.append(scale * root)
            }
            let stride = strides[layer]
            let rows = (inputHeight + stride - 1) / stride
            let cols = (inputWidth + stride - 1) / stride
            anchors.reserveCapacity(anchors.count + rows * cols * ratios.count)
            for y in 0..<rows {
                for x in 0..<cols {
                    for k in 0..<ratios.count {
                        anchors.append(Anchor(
                            xCenter: (Float(x) + anchorOffsetX) / Float(cols),
                            yCenter: (Float(y) + anchorOffsetY) / Float(rows),
                            width: fixedAnchorSize ? 1 : anchorWidths[k],
                            height: fixedAnchorSize ? 1 : anchorHeights[k]))
                    }
                }
            }
            layer = last
        }
        return anchors
    }

    /// `CalculateScale`: linear between min and max over the layers (the mean for one layer).
    private static func scale(_ minScale: Float, _ maxScale: Float, _ index: Int, _ count: Int) -> Float {
        count == 1 ? (minScale + maxScale) * 0.5 : minScale + (maxScale - minScale) * Float(index) / Float(count - 1)
    }
}
