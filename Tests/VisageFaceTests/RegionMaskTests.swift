import Testing
import TestSupport
import VisageFace
import VisageImaging

@Suite struct RegionMaskTests {
    private func landmarks() throws -> (points: [Point], width: Int, height: Int) {
        let fixture = try LandmarkFixture.frontalFace()
        return (fixture.points.map { Point(x: $0.x, y: $0.y) }, fixture.width, fixture.height)
    }

    @Test func everyRegionIsNonEmptyAndWhereAFaceHasIt() throws {
        // Given the frontal 478-point fixture on a 420×420 canvas
        let (points, width, height) = try landmarks()
        let regions = try FaceRegions(landmarks: points, imageWidth: width, imageHeight: height)
        // Then every region has pixels
        let all: [(String, PixelMask)] = [
            ("oval", regions.faceOval), ("lips", regions.lips), ("upperLip", regions.upperLip),
            ("lowerLip", regions.lowerLip), ("rightEye", regions.rightEye), ("leftEye", regions.leftEye),
            ("rightBrow", regions.rightEyebrow), ("leftBrow", regions.leftEyebrow),
            ("rightCheek", regions.rightCheekSkin), ("leftCheek", regions.leftCheekSkin),
            ("forehead", regions.foreheadSkin),
        ]
        for (name, mask) in all { #expect(mask.count > 50, "\(name) has \(mask.count) pixels") }
        // IOD between the iris centres, about 127 px in this fixture
        #expect(abs(regions.interOcularDistance - 127.5) < 0.5)
        // The subject's right eye is on the image left
        let rightX = mean(regions.rightEye.imagePixels.map { Double($0.x) })
        let leftX = mean(regions.leftEye.imagePixels.map { Double($0.x) })
        #expect(rightX < leftX)
        // Forehead lies above the eyes, lips below them
        let foreheadY = mean(regions.foreheadSkin.imagePixels.map { Double($0.y) })
        let eyeY = mean(regions.rightEye.imagePixels.map { Double($0.y) })
        let lipY = mean(regions.lips.imagePixels.map { Double($0.y) })
        #expect(foreheadY < eyeY && eyeY < lipY)
        // Iris radius is a plausible fraction of IOD (human iris ≈ 11.7 mm, IOD ≈ 63 mm → r ≈ 0.09 IOD)
        let r = try #require(regions.rightIrisCircle).radius
        #expect(r > 0.06 * regions.interOcularDistance && r < 0.14 * regions.interOcularDistance)
    }

    @Test func skinAreasAvoidEyesBrowsAndLips() throws {
        let (points, width, height) = try landmarks()
        let regions = try FaceRegions(landmarks: points, imageWidth: width, imageHeight: height)
        let features = regions.rightEye.union(regions.leftEye).union(regions.rightEyebrow)
            .union(regions.leftEyebrow).union(regions.lips)
        #expect(regions.skin.intersection(features).isEmpty)
        // Lips split into upper and lower without overlap
        #expect(regions.upperLip.intersection(regions.lowerLip).isEmpty)
        #expect(regions.upperLip.union(regions.lowerLip).subtracting(regions.lips).count
                <= regions.lips.count / 20)
        // The forehead lost its top quarter, measured along the chin → forehead-top axis
        let upX = points[10].x - points[152].x, upY = points[10].y - points[152].y
        let norm = (upX * upX + upY * upY).squareRoot()
        let heights = FaceMeshIndices.forehead.map { (points[$0].x * upX + points[$0].y * upY) / norm }
        let high = heights.max() ?? 0, low = heights.min() ?? 0
        let highest = regions.forehead.imagePixels.map { (Double($0.x) * upX + Double($0.y) * upY) / norm }.max() ?? 0
        #expect(highest <= high - 0.25 * (high - low) + 1e-9)
        #expect(highest > high - 0.35 * (high - low))
    }

    @Test func badLandmarksThrowTypedErrors() throws {
        #expect(throws: FaceRegionError.self) {
            _ = try FaceRegions(landmarks: [Point](repeating: .zero, count: 10), imageWidth: 10, imageHeight: 10)
        }
        var (points, width, height) = try landmarks()
        points[5] = Point(x: .nan, y: 3)
        do {
            _ = try FaceRegions(landmarks: points, imageWidth: width, imageHeight: height)
            Issue.record("NaN landmark accepted")
        } catch let error as FaceRegionError {
            #expect(error.code == .nonFiniteLandmark && error.message.contains("landmark 5"))
        }
        #expect(throws: FaceRegionError.self) {
            _ = try FaceRegions(landmarks: [Point](repeating: Point(x: 5, y: 5), count: 478), imageWidth: 10, imageHeight: 10)
        }
    }

    @Test func faceOffTheImageIsClippedNotCrashing() throws {
        // Shift the face so that half of it leaves the image: masks shrink, nothing traps.
        let (points, width, height) = try landmarks()
        let shifted = points.map { Point(x: $0.x - 200, y: $0.y) }
        let regions = try FaceRegions(landmarks: shifted, imageWidth: width, imageHeight: height)
        #expect(regions.rightEye.isEmpty)
        #expect(!regions.leftEye.isEmpty)
    }

    private func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
}
