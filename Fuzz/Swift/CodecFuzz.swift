import Foundation
import VisageImaging

/// Runs one input through every decoder path that options change: strict and lenient, full and
/// reduced scale, alpha kept and composited, 16-bit kept, ICC converted and not, plus the EXIF
/// parser on the raw bytes. Errors are expected; crashes, hangs and sanitizer reports are bugs.
func exercise(_ bytes: Data) -> [String] {
    var results: [String] = []
    var options = DecodeOptions()
    options.maxPixels = 1_000_000   // keeps one input within the fuzzer's memory and time limits
    var variants = [options]
    options.strict = false
    options.minimumSize = (width: 16, height: 16)
    options.alpha = .composite(red: 255, green: 0, blue: 128)
    options.sixteenBit = .keep
    options.colorManagement = .none
    variants.append(options)
    for variant in variants {
        do {
            let decoded = try ImageDecoder.decode(bytes, path: "input", options: variant)
            _ = decoded.rgb()
            results.append("ok \(decoded.image.width)x\(decoded.image.height)x\(decoded.image.channels)")
        } catch {
            results.append("\(error)")
        }
    }
    results.append("exif \(ExifOrientation.read([UInt8](bytes)).map(String.init) ?? "none")")
    return results
}

#if FUZZING
/// libFuzzer's driver (libclang_rt.fuzzer), called from our entry point below.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// libFuzzer's per-input callback (the driver also refers to it by name).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = exercise(data.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}

/// SwiftPM links executables with `main` pointing at `<module>_main`, so the fuzz build provides
/// that symbol and hands over to libFuzzer's driver instead of libFuzzer's own `main`.
@_cdecl("visage_codec_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
}
#else
/// Without `-DFUZZING`: replays files (e.g. crash artifacts) through the same paths and prints results.
@main
struct CodecFuzzReplay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): unreadable")
                continue
            }
            print("\(path): \(exercise(data).joined(separator: " | "))")
        }
    }
}
#endif
