import Testing
@testable import VisageBeauty
import VisageFace
import VisageImaging

/// `OvalScan`'s counts on rows wide enough for the 64-pixel AVX-512 loop, with channel values at and
/// next to the clip (250) and crush (10) limits, against a pixel-by-pixel count.
@Suite struct OvalScanWideRowTests {
    @Test(arguments: [3, 4])
    func countsAtTheLimitsAreThePixelByPixelOnes(channels: Int) {
        // Given a 701 × 9 image whose channels are drawn from 9, 10, 11, 249, 250, 251 and noise, and
        // a mask with random flags, one row empty, one row with a single pixel, one full row
        var rng = SeededRandom(seed: 77)
        let levels: [UInt8] = [9, 10, 11, 249, 250, 251, 0, 255, 128]
        let width = 701, height = 9
        let image = Image8(width: width, height: height, channels: channels, pixels: (0..<(width * height * channels)).map { _ in
            rng.next() % 3 == 0 ? UInt8(rng.next() % 256) : levels[Int(rng.next() % UInt64(levels.count))]
        })
        var mask = PixelMask(width: width, height: height)
        for y in 0..<height where y != 2 && y != 3 {
            for x in 0..<width where y == 8 || rng.next() % 5 != 0 { mask[x, y] = true }
        }
        mask[640, 3] = true
        // When it is scanned
        let scan = OvalScan(image: image, mask: mask)
        // Then the counts are the pixel-by-pixel ones
        let rgb = mask.imagePixels.map { LabSampling.rgb(image, $0.x, $0.y) }
        #expect(scan.total == rgb.count)
        #expect(scan.clipped == rgb.filter { max($0.0, $0.1, $0.2) >= 250 }.count && scan.clipped > 100)
        #expect(scan.crushed == rgb.filter { max($0.0, $0.1, $0.2) <= 10 }.count && scan.crushed > 10)
    }
}
