import Testing
import VisageFace

@Suite struct FaceMeshIndicesTests {
    @Test func ringsHaveTheDocumentedSizesAndStayInRange() {
        #expect(FaceMeshIndices.lipsOuter.count == 20 && FaceMeshIndices.lipsInner.count == 20)
        #expect(FaceMeshIndices.rightEye.count == 16 && FaceMeshIndices.leftEye.count == 16)
        #expect(FaceMeshIndices.faceOval.count == 36)
        let all = FaceMeshIndices.lipsOuter + FaceMeshIndices.lipsInner + FaceMeshIndices.rightEye
            + FaceMeshIndices.leftEye + FaceMeshIndices.faceOval + FaceMeshIndices.forehead
            + FaceMeshIndices.rightCheek + FaceMeshIndices.leftCheek
        #expect(all.allSatisfy { (0..<FaceMeshIndices.meshCount).contains($0) })
        #expect(Set(FaceMeshIndices.faceOval).count == 36)
    }
}
