import Foundation

extension BatchRunner {
    /// The report of one image file, built exactly as `run` builds it but not written anywhere
    /// (`visage analyze`). Failures are error reports, as in a batch.
    public static func analyze(_ url: URL, pipeline: CompiledPipeline, decoder: any ImageDecoding) throws(InputError) -> ImageOutcome {
        let listing = try InputWalker.walk([url.path])
        guard let item = listing.items.first else { throw .notAnImage(url.path) }
        var processor = ImageProcessor(pipeline: pipeline, decoder: decoder, outputFolder: URL(fileURLWithPath: "/"),
                                       resume: false, writer: JSONWriter(precision: pipeline.spec.report.precision))
        processor.writesReports = false
        do { return try processor.process(item) } catch { throw .notAnImage(error.description) }
    }
}
