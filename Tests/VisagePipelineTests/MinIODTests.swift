import Testing
import VisageFace
import VisageImaging
@testable import VisagePipeline

/// `input.min_iod`: which scale an image is decoded at again when a detected face is too small, on
/// hand-checkable eye distances (the run itself is `FacePipelineTests.smallFacesAreDecodedAgainAtFullSize`).
@Suite struct MinIODTests {
    /// Faces whose eye keypoints lie `distances` pixels apart on a `width`-wide image, as face.detect
    /// would return them.
    func faces(_ distances: [Double], width: Int = 1000, wholeImage: Bool = false) -> StepValue {
        let w = Float(width)
        let found = distances.map { d -> DetectedFace in
            let k: [Float] = [100 / w, 0.5, (100 + Float(d)) / w, 0.5, 0.2, 0.6, 0.2, 0.7, 0.05, 0.5, 0.3, 0.5]
            let n = NormalizedDetection(xMin: 0.05, yMin: 0.3, width: 0.4, height: 0.4, score: 0.9, keypoints: k)
            return wholeImage ? .wholeImage(width: width, height: width) : DetectedFace(n, imageWidth: width, imageHeight: width)
        }
        return StepValue(.faces, DetectedFaces(image: Image8(width: width, height: width, channels: 3, fill: 0), faces: found))
    }

    func decoded(scale: Int, width: Int = 1000) -> InputImage {
        InputImage(image: Image8(width: width, height: width, channels: 3, fill: 0), format: .jpeg,
                   storedSize: (width * scale, width * scale), decodeScale: scale)
    }

    @Test func theLargestScaleThatGivesEveryFaceMinIOD() {
        let at8 = decoded(scale: 8)
        #expect(ImageProcessor.scaleForSmallFaces(faces([130]), decoded: at8, minIOD: 128) == nil)        // enough
        #expect(ImageProcessor.scaleForSmallFaces(faces([300, 127]), decoded: at8, minIOD: 128) == 4)    // 254 at 1/4
        #expect(ImageProcessor.scaleForSmallFaces(faces([40]), decoded: at8, minIOD: 128) == 2)          // 160 at 1/2
        #expect(ImageProcessor.scaleForSmallFaces(faces([20]), decoded: at8, minIOD: 128) == 1)          // 80 at 1/2: full
        #expect(ImageProcessor.scaleForSmallFaces(faces([20]), decoded: decoded(scale: 2), minIOD: 128) == 1)
    }

    @Test func nothingToDoAtFullSizeWithoutFacesOrKeypoints() {
        #expect(ImageProcessor.scaleForSmallFaces(faces([10]), decoded: decoded(scale: 1), minIOD: 128) == nil)
        #expect(ImageProcessor.scaleForSmallFaces(faces([]), decoded: decoded(scale: 4), minIOD: 128) == nil)
        #expect(ImageProcessor.scaleForSmallFaces(faces([10], wholeImage: true), decoded: decoded(scale: 4), minIOD: 128) == nil)
        let image = StepValue(.image, Image8(width: 1000, height: 1000, channels: 3, fill: 0))
        #expect(ImageProcessor.scaleForSmallFaces(image, decoded: decoded(scale: 4), minIOD: 128) == nil)
    }

    @Test func detectionsOnAResizedImageAreMeasuredInDecodedPixels() {
        // 100 px apart on a 500-wide resize of the 1000-wide decoded image: 200 decoded pixels
        #expect(ImageProcessor.scaleForSmallFaces(faces([100], width: 500), decoded: decoded(scale: 2), minIOD: 128) == nil)
        #expect(ImageProcessor.scaleForSmallFaces(faces([60], width: 500), decoded: decoded(scale: 2), minIOD: 128) == 1)
    }
}
