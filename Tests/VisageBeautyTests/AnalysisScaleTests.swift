import Testing
@testable import VisageBeauty
import VisageFace
import VisageImaging

/// The reduced-scale face: the table encoding, the block average and the window must give exactly
/// what the straightforward full-grid computation gives.
@Suite struct AnalysisScaleTests {
    @Test func tableEncodingIsEncode8AtEveryBoundary() {
        // Given the 255 thresholds
        let t = SRGBEncoding.thresholds
        #expect(t.count == 255 && zip(t, t.dropFirst()).allSatisfy { $0 < $1 })
        // Then each threshold and the doubles next to it encode as encode8 does
        for (i, v) in t.enumerated() {
            for x in [v.nextDown.nextDown, v.nextDown, v, v.nextUp] {
                #expect(SRGBEncoding.encode8(x) == SRGBTransfer.encode8(x), "code \(i + 1) at \(x)")
            }
            #expect(SRGBTransfer.encode8(v) == UInt8(i + 1) && SRGBTransfer.encode8(v.nextDown) == UInt8(i))
        }
        // And so do a dense sweep over (and past) 0…1 and the special values
        for k in -1_000...201_000 {
            let x = Double(k) / 200_000
            #expect(SRGBEncoding.encode8(x) == SRGBTransfer.encode8(x), "\(x)")
        }
        for x in [0.0, -0.0, -1, 1, 2, .infinity, -.infinity, .nan, .leastNonzeroMagnitude] {
            #expect(SRGBEncoding.encode8(x) == SRGBTransfer.encode8(x), "\(x)")
        }
    }

    @Test(arguments: [1, 3, 4])
    func blockAverageIsThePixelByPixelMean(channels: Int) {
        // Given a noisy image and 3×3 blocks starting at (2, 1)
        var rng = SeededRandom(seed: 7)
        let image = Image8(width: 23, height: 17, channels: channels,
                           pixels: (0..<(23 * 17 * channels)).map { _ in UInt8(rng.next() % 256) })
        let f = 3, x0 = 2, y0 = 1, w = 6, h = 5
        // When it is averaged
        let out = AnalysisScale.boxAverage(image, x0: x0, y0: y0, width: w, height: h, factor: f)
        // Then every pixel is the linear-light mean of its block, summed pixel by pixel, encoded by encode8
        let table = SRGBTransfer.linearTable
        for y in 0..<h {
            for x in 0..<w {
                var sum = (0.0, 0.0, 0.0)
                for yy in (y0 + y * f)..<(y0 + y * f + f) {
                    for xx in (x0 + x * f)..<(x0 + x * f + f) {
                        let (r, g, b) = LabSampling.rgb(image, xx, yy)
                        sum.0 += table[Int(r)]
                        sum.1 += table[Int(g)]
                        sum.2 += table[Int(b)]
                    }
                }
                let o = (y * w + x) * 3
                #expect(out.pixels[o] == SRGBTransfer.encode8(sum.0 / 9) && out.pixels[o + 1] == SRGBTransfer.encode8(sum.1 / 9)
                        && out.pixels[o + 2] == SRGBTransfer.encode8(sum.2 / 9), "(\(x), \(y))")
            }
        }
    }

    @Test(arguments: [3, 4])
    func theWindowGivesTheMasksAndColoursOfTheWholeGrid(enlargement k: Int) throws {
        // Given the synthetic face enlarged k× (factor ⌊IOD / 128⌋ = 2 or 3) with its person mask
        let (image, landmarks, person) = try Self.enlarged(k)
        let t = BeautyThresholds.standard
        let iod = try FaceRegions(landmarks: landmarks, imageWidth: image.width, imageHeight: image.height,
                                  masks: .ovalOnly).interOcularDistance
        let g = try #require(AnalysisScale.grid(landmarks: landmarks, imageWidth: image.width, imageHeight: image.height,
                                                interOcularDistance: iod, targetIOD: t.quality.analysisIOD))
        // When the face is analysed on the whole grid (as before the window) and on the window
        let whole = AnalysisScale.boxAverage(image, x0: g.x0, y0: g.y0, width: g.width, height: g.height, factor: g.factor)
        let wholePoints = AnalysisScale.gridLandmarks(landmarks, factor: g.factor, x0: g.x0, y0: g.y0)
        let work = try AnalysisScale(image: image, landmarks: landmarks, interOcularDistance: iod, thresholds: t)
        #expect(work.factor == g.factor && work.image.pixelCount < whole.pixelCount)
        let a = try FaceRegions(landmarks: wholePoints, imageWidth: whole.width, imageHeight: whole.height, options: t.skin.regions)
        let b = try FaceRegions(landmarks: work.landmarks, imageWidth: work.image.width, imageHeight: work.image.height,
                                options: t.skin.regions)
        // Then the window's read pixels (the masks' box and the hair grid, fewer than all) are the
        // grid's, every mask pixel and its 8 neighbours lie inside them, and every mask is the same mask, moved
        let c = try FaceRegions(landmarks: work.landmarks, imageWidth: work.image.width, imageHeight: work.image.height,
                                options: t.skin.regions, masks: .colorRegions)
        #expect(b.frame == work.regions.frame && b.lips.values == work.regions.lips.values
                && b.rightCheekSkin.values == work.regions.rightCheekSkin.values && c.lips == b.lips
                && c.foreheadSkin == b.foreheadSkin && c.faceOval.isEmpty && work.regions.faceOval.isEmpty)
        let dx = (work.originX - g.x0) / g.factor, dy = (work.originY - g.y0) / g.factor
        let lids = try #require(work.lids)
        let read = try #require(AnalysisScale.readBlocks(work.landmarks, regions: work.regions, lids: lids,
                                                         width: work.image.width, height: work.image.height,
                                                         features: t.features))
        var readCount = 0
        for y in 0..<work.image.height {
            let columns = read.columns(row: y, width: work.image.width)
            for x in 0..<work.image.width where columns[x] {
                readCount += 1
                #expect(LabSampling.rgb(work.image, x, y) == LabSampling.rgb(whole, x + dx, y + dy))
            }
        }
        #expect(readCount < work.image.pixelCount)
        // (Not the face oval: no analysis reads its pixels at analysis scale.)
        let masks = [b.lips, b.mouthOpening, b.rightEye, b.leftEye, b.rightEyebrow, b.leftEyebrow,
                     b.rightCheekSkin, b.leftCheekSkin, b.foreheadSkin, lids.lidBands, lids.linerStrips, lids.wings]
        let columns = (0..<work.image.height).map { read.columns(row: $0, width: work.image.width) }
        for m in masks {
            m.forEachSetPixel { x, y in
                for ny in max(0, y - 1)...min(work.image.height - 1, y + 1) {
                    for nx in max(0, x - 1)...min(work.image.width - 1, x + 1) {
                        #expect(columns[ny][nx], "(\(nx), \(ny)) next to (\(x), \(y))")
                    }
                }
            }
        }
        // And the row spans hold fewer pixels than the frame
        let denseCount = (0..<work.image.height).reduce(0) { n, y in
            n + (y >= read.dense.y0 && y <= read.dense.y1 ? max(0, min(work.image.width - 1, read.spans?.x1[y] ?? -1)
                                                             - max(0, read.spans?.x0[y] ?? 0) + 1) : 0)
        }
        #expect(read.spans != nil && denseCount < b.frame.width * b.frame.height)
        let pairs: [(String, PixelMask, PixelMask)] = [
            ("oval", a.faceOval, b.faceOval), ("lips", a.lips, b.lips), ("right eye", a.rightEye, b.rightEye),
            ("left brow", a.leftEyebrow, b.leftEyebrow), ("right cheek skin", a.rightCheekSkin, b.rightCheekSkin),
            ("left cheek skin", a.leftCheekSkin, b.leftCheekSkin), ("forehead skin", a.foreheadSkin, b.foreheadSkin),
        ]
        for (name, m, n) in pairs {
            #expect(m.imagePixels.map { [$0.x, $0.y] } == n.imagePixels.map { [$0.x + dx, $0.y + dy] }, "\(name)")
        }
        // And the colours measured on them are equal
        #expect(SkinToneAnalyzer.analyze(image: whole, regions: a, thresholds: t)
                == SkinToneAnalyzer.analyze(image: work.image, regions: b, thresholds: t))
        #expect(LipColorAnalyzer.analyze(image: whole, regions: a) == LipColorAnalyzer.analyze(image: work.image, regions: b))
        #expect(EyeColorAnalyzer.analyze(image: whole, regions: a, thresholds: t)
                == EyeColorAnalyzer.analyze(image: work.image, regions: b, thresholds: t))
        #expect(HairColorAnalyzer.eyebrows(image: whole, regions: a, skin: nil, thresholds: t)
                == HairColorAnalyzer.eyebrows(image: work.image, regions: b, skin: nil, thresholds: t))
        if case .success(let skinA) = SkinToneAnalyzer.analyze(image: whole, regions: a, thresholds: t),
           case .success(let skinB) = SkinToneAnalyzer.analyze(image: work.image, regions: b, thresholds: t) {
            let lip = LipColorAnalyzer.analyze(image: whole, regions: a, thresholds: t)
            #expect(MakeupAnalyzer.analyze(image: whole, landmarks: wholePoints, regions: a, skin: skinA, lip: lip, thresholds: t)
                    == MakeupAnalyzer.analyze(image: work.image, landmarks: work.landmarks, regions: b, skin: skinB, lip: lip,
                                              geometry: lids, thresholds: t))
        } else {
            Issue.record("the synthetic face's skin should be measurable")
        }
        // And hair with the old full-grid mean of the image-size mask equals hair with the block means on demand
        let f = g.factor
        var reduced = ImageF(width: g.width, height: g.height, channels: 1, fill: 0)
        for y in 0..<g.height {
            for x in 0..<g.width {
                var p: Float = 0
                for yy in (g.y0 + y * f)..<(g.y0 + y * f + f) {
                    for xx in (g.x0 + x * f)..<(g.x0 + x * f + f) { p += person.pixels[yy * image.width + xx] }
                }
                reduced.pixels[y * g.width + x] = p / Float(f * f)
            }
        }
        let oldHair = HairColorAnalyzer.analyze(image: whole, landmarks: wholePoints, regions: a, personMask: reduced)
        let mask = PersonMask(image: person)
        let newHair = HairColorAnalyzer.analyze(image: work.image, landmarks: work.landmarks, regions: b, thresholds: t) {
            work.personProbability(mask, x: $0, y: $1)
        }
        #expect(oldHair == newHair && !newHair.uncertain, "\(oldHair) vs \(newHair)")
    }

    @Test func aModelResolutionMaskReportsAsItsImageSizeRendering() throws {
        // Given the enlarged face and its person mask reduced to a 64 × 64 map
        let (image, landmarks, person) = try Self.enlarged(3)
        var map = [Float](repeating: 0, count: 64 * 64)
        for y in 0..<64 {
            for x in 0..<64 { map[y * 64 + x] = person[x * image.width / 64, y * image.height / 64, 0] }
        }
        let mask = PersonMask(probabilities: map, width: 64, height: 64, imageWidth: image.width, imageHeight: image.height)
        // When the face is analysed with the map and with the map rendered at image size
        let lazy = try BeautyAnalyzer.analyze(image: image, landmarks: landmarks, personMask: mask)
        let rendered = try BeautyAnalyzer.analyze(image: image, landmarks: landmarks, personMask: mask.image)
        // Then the reports are equal, hair included
        #expect(lazy == rendered && lazy.hair?.uncertain == false, "\(String(describing: lazy.hair))")
        // And a mask of another image's size is reported, not read
        let other = PersonMask(probabilities: map, width: 64, height: 64, imageWidth: 10, imageHeight: 10)
        let refused = try BeautyAnalyzer.analyze(image: image, landmarks: landmarks, personMask: other)
        #expect(refused.hair?.uncertain == true && refused.hair?.rule.contains("segmentation mask is 10×10") == true)
    }

    /// The synthetic face enlarged `k`× by pixel replication, with landmarks and person mask to match,
    /// on a canvas with a third of its width free on each side and a third of its height free below
    /// (so the analysis window is smaller than the block grid).
    static func enlarged(_ k: Int) throws -> (Image8, [Point], ImageF) {
        var face = SyntheticFace()
        face.iris = SRGB8(r: 80, g: 120, b: 170)
        let (image, landmarks, person) = try face.render()
        let pad = image.width * k / 3, below = image.height * k / 3
        let w = image.width * k + 2 * pad, h = image.height * k + below
        var big = Image8(width: w, height: h, channels: 3, fill: 0)
        var bigPerson = ImageF(width: w, height: h, channels: 1, fill: 0)
        for y in 0..<(image.height * k) {
            for x in 0..<(image.width * k) {
                let src = y / k * image.width + x / k, dst = y * w + x + pad
                for c in 0..<3 { big.pixels[dst * 3 + c] = image.pixels[src * 3 + c] }
                bigPerson.pixels[dst] = person.pixels[src]
            }
        }
        let points = landmarks.map {
            Point(x: $0.x * Double(k) + Double(k - 1) / 2 + Double(pad), y: $0.y * Double(k) + Double(k - 1) / 2)
        }
        return (big, points, bigPerson)
    }
}
