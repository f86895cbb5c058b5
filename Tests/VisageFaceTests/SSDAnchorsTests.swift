import Testing
import VisageFace

@Suite struct SSDAnchorsTests {
    @Test func shortRangeHas896AnchorsIn16And8Grids() throws {
        // When
        let anchors = SSDAnchorOptions.blazeFaceShortRange.anchors()
        // Then 16×16×2 + 8×8×6
        #expect(anchors.count == 896)
        let first = try #require(anchors.first), last = try #require(anchors.last)
        #expect(first == Anchor(xCenter: 0.5 / 16, yCenter: 0.5 / 16, width: 1, height: 1))
        #expect(anchors[1] == first)   // two anchors per stride-8 cell
        #expect(anchors[2].xCenter == 1.5 / 16 && anchors[2].yCenter == 0.5 / 16)   // x moves before y
        #expect(anchors[511] == Anchor(xCenter: 15.5 / 16, yCenter: 15.5 / 16, width: 1, height: 1))
        #expect(anchors[512] == Anchor(xCenter: 0.5 / 8, yCenter: 0.5 / 8, width: 1, height: 1))
        #expect(anchors[517] == anchors[512] && anchors[518].xCenter == 1.5 / 8)   // six per stride-16 cell
        #expect(last == Anchor(xCenter: 7.5 / 8, yCenter: 7.5 / 8, width: 1, height: 1))
    }

    @Test func fullRangeHas2304AnchorsInOne48Grid() throws {
        let anchors = SSDAnchorOptions.blazeFaceFullRange.anchors()
        #expect(anchors.count == 2304)
        #expect(anchors.first == Anchor(xCenter: 0.5 / 48, yCenter: 0.5 / 48, width: 1, height: 1))
        #expect(anchors[1].xCenter == 1.5 / 48)   // one anchor per cell
        #expect(anchors.last == Anchor(xCenter: 47.5 / 48, yCenter: 47.5 / 48, width: 1, height: 1))
    }

    @Test func sizesFollowTheScalesWhenNotFixed() {
        // Given one layer, scale (0.1 + 0.3)/2 = 0.2, aspect 1 and an interpolated anchor (next scale 1)
        var options = SSDAnchorOptions(inputWidth: 4, inputHeight: 4, minScale: 0.1, maxScale: 0.3, strides: [4])
        options.fixedAnchorSize = false
        let anchors = options.anchors()
        // Then one cell, two anchors: 0.2 and sqrt(0.2·1)
        #expect(anchors.count == 2)
        #expect(abs(anchors[0].width - 0.2) < 1e-6 && abs(anchors[1].width - Float(0.2).squareRoot()) < 1e-6)
    }
}
