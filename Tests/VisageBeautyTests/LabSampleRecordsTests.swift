import Testing
@testable import VisageBeauty
import VisageFace
import VisageImaging

/// `LabSampling.samples` writes its samples as C records (`visage_lab_sample_records`) where `LabSample`
/// has the layout the kernel writes; `LabSamplesKernelTests` compares those samples with the reference.
@Suite struct LabSampleRecordsTests {
    @Test func theRecordPathRunsAndKeepsEveryField() {
        // Given LabSample's layout on this platform
        // Then it is the one the C records use (so the kernel, not the Swift loop, builds the samples)
        #expect(LabSampling.recordLayout)
        // And for 8·k + 5 samples (vector groups and a scalar tail), each field is the one LabSample(lab:x:y:) gives
        let image = Image8(width: 29, height: 3, channels: 3, pixels: (0..<(29 * 3 * 3)).map { UInt8(($0 * 37) % 256) })
        let mask = PixelMask(width: 29, height: 3, originX: 0, originY: 0, fill: true)
        let (samples, _) = LabSampling.samples(image, mask: mask)
        #expect(samples.count == 87)
        for s in samples {
            let expected = LabSample(lab: s.lab, x: s.x, y: s.y)
            #expect(s.chroma.bitPattern == expected.chroma.bitPattern && s.x >= 0 && s.x < 29 && s.y >= 0 && s.y < 3)
        }
        #expect(samples.map(\.x).prefix(3) == [0, 1, 2] && samples.last?.y == 2)
    }
}
