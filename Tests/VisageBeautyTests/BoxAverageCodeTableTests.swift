import Testing
@testable import VisageBeauty
import VisageFace
import VisageImaging

/// The integer code table of the box average (24-bit block totals → 8-bit codes, near-threshold
/// totals recomputed in Double) against the Double definition, where it is hardest: block means
/// just below, at and just above every code threshold.
@Suite struct BoxAverageCodeTableTests {
    /// A `blocks × f` by `f` RGB strip whose block `b` mixes codes `k` and `k + 1` (`k` from `codes`)
    /// in a proportion that moves with `b`, so its mean sweeps across the threshold between them.
    static func straddlingStrip(factor f: Int, codes: [Int], seed: UInt64) -> Image8 {
        var rng = SeededRandom(seed: seed)
        let n = f * f, blocks = codes.count
        var pixels = [UInt8](repeating: 0, count: blocks * f * f * 3)
        for (b, k) in codes.enumerated() {
            for c in 0..<3 {
                // `high` of the n pixels get code k + 1: every split 0…n appears across the blocks and channels.
                let high = (b * 3 + c + Int(rng.next() % 3)) % (n + 1)
                var order = Array(0..<n)
                order.shuffle(using: &rng)
                for (i, p) in order.enumerated() {
                    let x = b * f + p % f, y = p / f
                    pixels[(y * blocks * f + x) * 3 + c] = UInt8(i < high ? k + 1 : k)
                }
            }
        }
        return Image8(width: blocks * f, height: f, channels: 3, pixels: pixels)
    }

    @Test(arguments: [2, 3, 4, 5, 6, 7, 8, 11, 16])
    func meansAcrossEveryThresholdGetTheDoubleCode(factor f: Int) {
        // Given blocks mixing each pair of adjacent codes 0…255 in every proportion (several strips of 255 blocks)
        for round in 0..<3 {
            let codes = (0..<255).map { ($0 * 7 + round * 31) % 255 }
            let image = Self.straddlingStrip(factor: f, codes: codes, seed: UInt64(f * 10 + round))
            // When box-averaged through the code table and with every block recomputed in Double
            let fast = AnalysisScale.boxAverage(image, x0: 0, y0: 0, width: codes.count, height: 1, factor: f)
            let exact = AnalysisScale.boxAverage(image, x0: 0, y0: 0, width: codes.count, height: 1, factor: f,
                                                 margin: .infinity)
            // Then every code is the Double one, which is the encoded linear mean of the block
            #expect(fast == exact, "factor \(f), round \(round)")
            let table = SRGBTransfer.linearTable
            for b in 0..<codes.count {
                for c in 0..<3 {
                    var sum = 0.0
                    for y in 0..<f {
                        for x in (b * f)..<(b * f + f) { sum += table[Int(image.pixels[(y * image.width + x) * 3 + c])] }
                    }
                    #expect(exact.pixels[b * 3 + c] == SRGBTransfer.encode8(sum / Double(f * f)), "block \(b), channel \(c)")
                }
            }
        }
    }

    @Test(arguments: [2, 4, 16])
    func extremeBlocksGetTheirCodes(factor f: Int) {
        // Given blocks of all 0, all 255, all of one code, and a single 1 or 254 among 0s or 255s
        let patterns: [[UInt8]] = [[0], [255], [1], [254], [128], [1, 0], [254, 255], [0, 255]]
        let n = f * f, blocks = patterns.count
        var pixels = [UInt8](repeating: 0, count: blocks * n * 3)
        for (b, pattern) in patterns.enumerated() {
            for p in 0..<n {
                let x = b * f + p % f, y = p / f
                let v = p == 0 ? pattern[0] : pattern[pattern.count - 1]
                for c in 0..<3 { pixels[(y * blocks * f + x) * 3 + c] = v }
            }
        }
        let image = Image8(width: blocks * f, height: f, channels: 3, pixels: pixels)
        // When box-averaged
        let fast = AnalysisScale.boxAverage(image, x0: 0, y0: 0, width: blocks, height: 1, factor: f)
        let exact = AnalysisScale.boxAverage(image, x0: 0, y0: 0, width: blocks, height: 1, factor: f, margin: .infinity)
        // Then uniform blocks keep their code and the others are the Double code
        #expect(fast == exact)
        #expect(Array(fast.pixels[0..<15]) == [0, 0, 0, 255, 255, 255, 1, 1, 1, 254, 254, 254, 128, 128, 128])
    }

    @Test(arguments: [1, 3, 4])
    func blocksLeftOutAreBlackAndTheOthersAsWithoutASelection(channels: Int) {
        // Given noise (the output is not zeroed before the kernel writes it) and a selection of a
        // rectangle with per-row spans, and a sparse grid
        let image = FastPathTests.noise(83, 61, channels: channels, seed: UInt64(40 + channels))
        let f = 3, w = 27, h = 20
        let spanX0 = (0..<h).map { $0 % 4 == 0 ? 9 : 3 + $0 % 3 }, spanX1 = (0..<h).map { $0 % 4 == 0 ? 2 : 20 - $0 % 5 }
        let only = AnalysisScale.BlockSelection(dense: (x0: 3, y0: 2, x1: 20, y1: 11), grid: (x0: 1, y0: 13, x1: 30, y1: 19, step: 4),
                                                spans: (spanX0, spanX1))
        // When box-averaged with and without the selection
        let chosen = AnalysisScale.boxAverage(image, x0: 2, y0: 0, width: w, height: h, factor: f, only: only)
        let all = AnalysisScale.boxAverage(image, x0: 2, y0: 0, width: w, height: h, factor: f)
        // Then selected blocks are the unselected average's and every other block is black
        var selected = 0
        for y in 0..<h {
            let row = only.columns(row: y, width: w)
            for x in 0..<w {
                let o = (y * w + x) * 3
                let expected = row[x] ? Array(all.pixels[o..<(o + 3)]) : [0, 0, 0]
                #expect(Array(chosen.pixels[o..<(o + 3)]) == expected, "(\(x), \(y))")
                selected += row[x] ? 1 : 0
            }
        }
        #expect(selected > 50 && selected < w * h / 2)
        // And with every mean recomputed in Double (the grid-only rows 13 and 17 too) the pixels are the same
        let exact = AnalysisScale.boxAverage(image, x0: 2, y0: 0, width: w, height: h, factor: f, margin: .infinity, only: only)
        #expect(exact == chosen)
    }

    @Test func gridOnlyRowsAreTheColumnSumsBlocks() {
        // Given RGB noise and a selection whose hair grid reaches above and below the dense rows
        // (rows 0, 3 and 15, 18 hold grid blocks only; rows 6, 9, 12 also dense ones), grid from x −2
        let image = FastPathTests.noise(130, 80, channels: 3, seed: 77)
        let f = 4, w = 31, h = 19
        let only = AnalysisScale.BlockSelection(dense: (x0: 5, y0: 5, x1: 14, y1: 13), grid: (x0: -2, y0: 0, x1: 40, y1: 18, step: 3))
        // When box-averaged with the selection and without
        let chosen = AnalysisScale.boxAverage(image, x0: 3, y0: 2, width: w, height: h, factor: f, only: only)
        let all = AnalysisScale.boxAverage(image, x0: 3, y0: 2, width: w, height: h, factor: f)
        // Then grid blocks (x = 1, 4, … 28) of the grid-only rows are the full average's, the rest of those rows black
        for y in [0, 3, 15, 18] {
            for x in 0..<w {
                let o = (y * w + x) * 3
                let expected = x % 3 == 1 ? Array(all.pixels[o..<(o + 3)]) : [0, 0, 0]
                #expect(Array(chosen.pixels[o..<(o + 3)]) == expected, "(\(x), \(y))")
            }
        }
        // And in every row (the lone grid blocks beside the dense ones in rows 6, 9, 12 included)
        // selected blocks are the full average's, the others black
        for y in 0..<h {
            let row = only.columns(row: y, width: w)
            for x in 0..<w {
                let o = (y * w + x) * 3
                #expect(Array(chosen.pixels[o..<(o + 3)]) == (row[x] ? Array(all.pixels[o..<(o + 3)]) : [0, 0, 0]), "(\(x), \(y))")
            }
        }
        #expect(only.columns(row: 9, width: w) == (0..<w).map { ($0 >= 5 && $0 <= 14) || $0 % 3 == 1 })
    }
}
