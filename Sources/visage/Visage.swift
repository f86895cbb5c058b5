import ArgumentParser
import Foundation
import VisagePipeline

/// The `visage` command: parses arguments, runs one subcommand, turns errors into exit codes.
@main
struct Visage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visage",
        abstract: "Beauty-image analysis: faces, skin tone, colours, makeup and photo quality.",
        version: ToolVersion.current,
        subcommands: [Run.self, Analyze.self, Validate.self, Inspect.self, Models.self, ModelCommand.self, Bench.self]
    )

    /// Runs the chosen subcommand; errors go through `ErrorRendering` (the one place that maps
    /// errors to messages and exit codes).
    static func main() async {
        keepFreedBuffersInHeap()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch where ErrorRendering.handles(error) {
            Foundation.exit(ErrorRendering.exitCode(for: error).rawValue)
        } catch {
            exit(withError: error)
        }
    }

    /// Keeps freed large buffers in the heap for reuse instead of unmapping them.
    ///
    /// A decoded 12 MP photo is a 36 MB buffer; glibc maps each one fresh and unmaps it on free, so
    /// every photo pays first-touch page faults: 25 % of a full JPEG decode (scripts/bench-decode.sh,
    /// 1.25× tjbench's time; 1.03× with reuse). Peak memory is unchanged: the heap is only not handed
    /// back to the kernel between photos.
    private static func keepFreedBuffersInHeap() {
        #if os(Linux)
        _ = glibcMallopt(-3, 1 << 30)  // M_MMAP_THRESHOLD (<malloc.h>): no mmap below 1 GiB
        _ = glibcMallopt(-1, Int32.max)  // M_TRIM_THRESHOLD: do not trim the heap top
        #endif
    }
}

#if os(Linux)
/// glibc's `mallopt` (declared in <malloc.h>, which the Glibc module does not import).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
