/// MediaPipe's weighted non-maximum suppression (`NonMaxSuppressionCalculator`, `algorithm:
/// WEIGHTED`, `INTERSECTION_OVER_UNION`).
///
/// Repeatedly: take the highest-scoring remaining detection; its candidates are all remaining
/// detections (itself included) whose IoU with it is above `threshold`; the output box and
/// keypoints are the score-weighted mean of the candidates, and the output score is the top
/// detection's own score. The candidates are removed and the loop goes on until none remain.
public enum WeightedNMS {
    /// - Parameters:
    ///   - detections: any order; coordinates in one normalized frame.
    ///   - threshold: IoU above which a detection joins the top one's cluster (BlazeFace: 0.3).
    ///   - maxDetections: stop after this many outputs; nil for no limit (MediaPipe's −1).
    /// - Returns: the merged detections, highest score first.
    public static func apply(_ detections: [NormalizedDetection], threshold: Float = 0.3,
                             maxDetections: Int? = nil) -> [NormalizedDetection] {
        // Stable sort by descending score (MediaPipe uses std::sort; ties are vanishingly rare on floats).
        var remaining = detections.indices.sorted { detections[$0].score > detections[$1].score }
        var output: [NormalizedDetection] = []
        var kept: [Int] = []
        var candidates: [Int] = []
        while let top = remaining.first {
            if let maxDetections, output.count >= maxDetections { break }
            let best = detections[top]
            kept.removeAll(keepingCapacity: true)
            candidates.removeAll(keepingCapacity: true)
            candidates.append(top)   // always: a zero-area top box must still leave the loop
            for index in remaining.dropFirst() {
                if detections[index].iou(best) > threshold { candidates.append(index) } else { kept.append(index) }
            }
            var merged = best
            if candidates.count > 1 || best.iou(best) > threshold {
                var xMin: Float = 0, yMin: Float = 0, xMax: Float = 0, yMax: Float = 0, total: Float = 0
                var keypoints = [Float](repeating: 0, count: best.keypoints.count)
                for index in candidates {
                    let d = detections[index], s = d.score
                    total += s
                    xMin += d.xMin * s
                    yMin += d.yMin * s
                    xMax += (d.xMin + d.width) * s
                    yMax += (d.yMin + d.height) * s
                    for k in keypoints.indices where k < d.keypoints.count { keypoints[k] += d.keypoints[k] * s }
                }
                if total > 0 {
                    merged.xMin = xMin / total
                    merged.yMin = yMin / total
                    merged.width = xMax / total - merged.xMin
                    merged.height = yMax / total - merged.yMin
                    merged.keypoints = keypoints.map { $0 / total }
                }
            }
            output.append(merged)
            swap(&remaining, &kept)
        }
        return output
    }
}
