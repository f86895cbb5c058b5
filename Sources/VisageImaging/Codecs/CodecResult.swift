import CImageCodecs

/// Maps a shim status to a `CodecError` for `path`.
func codecError(_ result: vc_result, path: String) -> CodecError {
    let message = withUnsafeBytes(of: result.message) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
    let code: CodecError.Code
    switch vc_status(UInt32(result.status)) {
    case VC_UNSUPPORTED: code = .unsupported
    case VC_TOO_LARGE: code = .tooLarge
    case VC_OUT_OF_MEMORY: code = .outOfMemory
    case VC_INVALID_ARGUMENT: code = .invalidArgument
    default: code = .corrupt
    }
    return CodecError(code, path: path, message.isEmpty ? "status \(result.status)" : message)
}

/// A fresh, zeroed result for a shim call.
func emptyResult() -> vc_result { vc_result() }

/// Copies a C buffer of `length` bytes (nil → empty).
func copyBytes(_ pointer: UnsafePointer<UInt8>?, _ length: Int) -> [UInt8] {
    guard let pointer, length > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: pointer, count: length))
}
