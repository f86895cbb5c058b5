/// How a head pose limits skin-colour measurement (SCIENCE.md §7.2 [H]: "analyse only the cheek
/// facing the camera and lower the confidence").
///
/// Within the quality pose limits (`maxYaw`, `maxPitch`, `maxRoll`, degrees) both cheeks and the
/// forehead are used and the factor is 1. Beyond `maxYaw` the cheek on the far side of the turned
/// face is left out (it is foreshortened, shaded and partly hidden by the nose), and the factor
/// falls linearly to 0 at the colour limits (`colorMaxYaw`, …), beyond which the quality check
/// withholds colour altogether.
struct ColorPose {
    /// `left_cheek` or `right_cheek` (subject's sides) when |yaw| > `maxYaw`, else nil.
    var farCheek: String?
    /// The skin-tone confidence factor `pose`, 0…1.
    var factor: Double

    init(pose: HeadPose?, limits q: BeautyThresholds.Quality) {
        guard let pose else {
            farCheek = nil
            factor = 1
            return
        }
        // yaw > 0: the nose moves toward the image right, so the subject's left cheek (image
        // right, for a photo that is not mirrored) turns away from the camera.
        farCheek = abs(pose.yaw) > q.maxYaw ? (pose.yaw > 0 ? "left_cheek" : "right_cheek") : nil
        factor = min(Statistics.ramp(abs(pose.yaw), q.maxYaw...max(q.maxYaw, q.colorMaxYaw), descending: true),
                     Statistics.ramp(abs(pose.pitch), q.maxPitch...max(q.maxPitch, q.colorMaxPitch), descending: true),
                     Statistics.ramp(abs(pose.roll), q.maxRoll...max(q.maxRoll, q.colorMaxRoll), descending: true))
    }
}
