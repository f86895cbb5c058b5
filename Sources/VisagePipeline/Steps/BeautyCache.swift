import Foundation
import VisageBeauty
import VisageFace
import VisageImaging

/// The per-face `BeautyReport`s of one image, shared by the `beauty.*` steps of a pipeline.
///
/// `BeautyAnalyzer.analyze` measures everything at once (regions, skin gating, quality gate,
/// colours, makeup) at a reduced analysis scale for large faces; running it once per face and
/// letting each step report its part avoids doing that work four times. Keyed by face index and
/// by whether a person mask was given (hair colour depends on it). Steps of one image run in
/// order on one task, but the lock keeps the cache safe if that ever changes.
final class BeautyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [Key: Result<BeautyReport, Failure>] = [:]

    /// Why a face could not be analysed (its landmarks cannot form regions).
    struct Failure: Error {
        let message: String
    }

    private struct Key: Hashable {
        let face: Int
        let withMask: Bool
        let whiteBalance: WhiteBalanceMode
    }

    /// The analysis of face `index` with `whiteBalance`, computed on first use (steps that ask for
    /// different white balance get separate analyses).
    func report(face index: Int, image: Image8, landmarks: [Point], personMask: PersonMask?,
                whiteBalance: WhiteBalanceMode) -> Result<BeautyReport, Failure> {
        let key = Key(face: index, withMask: personMask != nil, whiteBalance: whiteBalance)
        lock.lock()
        if let cached = reports[key] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let result: Result<BeautyReport, Failure>
        do {
            result = .success(try BeautyAnalyzer.analyze(image: image, landmarks: landmarks, personMask: personMask,
                                                         whiteBalance: whiteBalance))
        } catch {
            result = .failure(Failure(message: "\(error)"))
        }
        lock.lock()
        reports[key] = result
        lock.unlock()
        return result
    }
}
