import VisageFace
import VisageImaging

/// The per-pixel Swift sampler that the C kernel replaced, kept as the reference the fast path must
/// match bit for bit: OpenCV INTER_LINEAR fixed point, coordinates `a·i + b·j + tx` in double,
/// rounded half to even to 1/32 pixel, 15-bit weights, zero-weight taps skipped, NHWC RGB output.
enum ModelInputSamplerReference {
    static func sample(_ image: Image8, map: AffineTransform, width: Int, height: Int,
                       border: ModelInputSampler.Border, scale: Float, offset: Float) -> [Float] {
        var output = [Float](repeating: 0, count: width * height * 3)
        let w = image.width, h = image.height, ch = image.channels
        let g1 = ch >= 3 ? 1 : 0, g2 = ch >= 3 ? 2 : 0
        let px = image.pixels
        var o = 0
        for j in 0..<height {
            for i in 0..<width {
                let x = clampCoordinate(map.a * Double(i) + map.b * Double(j) + map.tx)
                let y = clampCoordinate(map.c * Double(i) + map.d * Double(j) + map.ty)
                let xi = Int((x * 32).rounded(.toNearestOrEven)), yi = Int((y * 32).rounded(.toNearestOrEven))
                let x0 = xi >> 5, y0 = yi >> 5
                let fx = xi & 31, fy = yi & 31
                let w00 = (32 - fx) * (32 - fy) * 32, w10 = fx * (32 - fy) * 32
                let w01 = (32 - fx) * fy * 32, w11 = fx * fy * 32
                var acc0 = 1 << 14, acc1 = 1 << 14, acc2 = 1 << 14
                func add(_ xs: Int, _ ys: Int, _ wt: Int) {
                    guard wt != 0 else { return }
                    var xs = xs, ys = ys
                    if xs < 0 || ys < 0 || xs >= w || ys >= h {
                        guard border == .replicate else { return }
                        xs = min(max(xs, 0), w - 1)
                        ys = min(max(ys, 0), h - 1)
                    }
                    let p = (ys * w + xs) * ch
                    acc0 += wt * Int(px[p])
                    acc1 += wt * Int(px[p + g1])
                    acc2 += wt * Int(px[p + g2])
                }
                add(x0, y0, w00)
                add(x0 + 1, y0, w10)
                add(x0, y0 + 1, w01)
                add(x0 + 1, y0 + 1, w11)
                output[o] = Float(min(max(acc0 >> 15, 0), 255)) * scale + offset
                output[o + 1] = Float(min(max(acc1 >> 15, 0), 255)) * scale + offset
                output[o + 2] = Float(min(max(acc2 >> 15, 0), 255)) * scale + offset
                o += 3
            }
        }
        return output
    }

    private static func clampCoordinate(_ v: Double) -> Double {
        v.isNaN ? -1e9 : min(max(v, -1e9), 1e9)
    }
}
