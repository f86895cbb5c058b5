import Testing
import VisageFace
import VisageImaging

/// `PixelMask.rowSpans` (16 flags at a time from both ends of each row) against a flag-by-flag scan.
@Suite struct PixelMaskRowSpansTests {
    /// The first and last set column of each row, read one flag at a time (`width` and −1 for none).
    static func scanned(_ m: PixelMask) -> (first: [Int], last: [Int]) {
        var first = [Int](repeating: m.width, count: m.height), last = [Int](repeating: -1, count: m.height)
        for y in 0..<m.height {
            for x in 0..<m.width where m[x, y] {
                first[y] = min(first[y], x)
                last[y] = max(last[y], x)
            }
        }
        return (first, last)
    }

    @Test func countsAreTheSetFlagsAtEveryLength() {
        // Given masks of 0…300 flags a row (64-flag blocks and every partial tail), densities 0…1
        var state: UInt64 = 7
        for width in Array(0...140) + [191, 192, 193, 255, 256, 257, 300] {
            for density in [0, 1, 5, 8] {
                var m = PixelMask(width: width, height: 2, originX: -1, originY: 3)
                for i in m.values.indices {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    m.values[i] = Int(state >> 61) < density
                }
                // When counted, Then it is the number of set flags, one by one
                #expect(m.count == m.values.filter { $0 }.count, "width \(width) density \(density)")
            }
        }
    }

    @Test func handCheckedRows() {
        // Given a 20 × 4 mask: an empty row, one pixel at each end, a single pixel at column 16, a full row
        var m = PixelMask(width: 20, height: 4, originX: 7, originY: -3)
        m[0, 1] = true
        m[19, 1] = true
        m[16, 2] = true
        for x in 0..<20 { m[x, 3] = true }
        // When the spans are read
        let spans = m.rowSpans
        // Then they are the set pixels' columns, in mask coordinates
        #expect(spans.first == [20, 0, 16, 0])
        #expect(spans.last == [-1, 19, 16, 19])
    }

    @Test func randomMasksOfEveryWidth() {
        // Given seeded masks of widths 0…70 (around the 16-flag blocks), sparse and dense rows
        var state: UInt64 = 12_345
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for width in 0...70 {
            for density in [0, 1, 5, 50] {
                let height = 9
                var m = PixelMask(width: width, height: height, originX: 3, originY: 2)
                for i in 0..<(width * height) where next() % 100 < UInt64(density) { m.values[i] = true }
                if width > 0 && density == 1 { m[width - 1, 0] = true }
                // When the spans are read, Then they are the flag-by-flag ones
                let spans = m.rowSpans, expected = Self.scanned(m)
                #expect(spans.first == expected.first, "width \(width), density \(density)")
                #expect(spans.last == expected.last, "width \(width), density \(density)")
            }
        }
    }
}
