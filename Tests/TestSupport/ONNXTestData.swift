import Foundation

/// Where the ONNX wheel's backend test data lives: `.venv-ref/lib/python3.*/site-packages/onnx/backend/test/data`.
///
/// `scripts/setup.sh` creates `.venv-ref` with `onnx` 1.22.0, whose wheel ships `node/` and
/// `pytorch-converted/` cases (model.onnx + test_data_set_0/{input,output}_N.pb). Override with
/// `$VISAGE_ONNX_TEST_DATA`.
public enum ONNXTestData {
    /// The data folder, or nil when absent.
    public static var root: URL? {
        if let env = ProcessInfo.processInfo.environment["VISAGE_ONNX_TEST_DATA"] {
            return URL(fileURLWithPath: env)
        }
        let lib = Fixtures.repoRoot.appendingPathComponent(".venv-ref/lib")
        guard let pythons = try? FileManager.default.contentsOfDirectory(atPath: lib.path) else { return nil }
        for py in pythons.sorted() where py.hasPrefix("python") {
            let url = lib.appendingPathComponent(py).appendingPathComponent("site-packages/onnx/backend/test/data")
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("node").path) { return url }
        }
        return nil
    }

    /// Why ONNX node tests are skipped.
    public static let missing =
        ".venv-ref with the onnx wheel's backend test data is absent (run scripts/setup.sh, or set VISAGE_ONNX_TEST_DATA)"

    /// Case folders under `root/sub` (e.g. "node"), sorted by name.
    public static func cases(_ sub: String) -> [URL] {
        guard let base = root?.appendingPathComponent(sub),
              let names = try? FileManager.default.contentsOfDirectory(atPath: base.path) else { return [] }
        return names.sorted().map { base.appendingPathComponent($0) }
    }

    /// The `input_N.pb` / `output_N.pb` files of a case's first data set, in index order.
    public static func dataFiles(_ caseDir: URL, prefix: String) -> [URL] {
        let set = caseDir.appendingPathComponent("test_data_set_0")
        var out: [URL] = []
        while true {
            let url = set.appendingPathComponent("\(prefix)_\(out.count).pb")
            guard FileManager.default.fileExists(atPath: url.path) else { return out }
            out.append(url)
        }
    }
}
