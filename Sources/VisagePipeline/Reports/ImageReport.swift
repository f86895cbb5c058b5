import Foundation

/// Builds the per-image report: stable content only (no timestamps, no timings, no absolute
/// paths), so the same image, pipeline and models always give the same bytes.
///
/// Shape (see `schemas/report.schema.json`): `schema`, `tool`, `input` (path, sha256, bytes,
/// format, stored_size and size as [width, height] in pixels, orientation), `pipeline` (name,
/// hash), `models` (name, sha256), `status` (`ok` or `error`), `error` (stage, reason) when
/// failed, `annotated` (the annotated picture's path under the output folder, with
/// `report.annotate: true`), `results` (image-level step results by step id) and `faces` (per face: `index` and
/// each per-face step result by step id).
public enum ImageReport {
    /// The schema identifier written into every report.
    public static let schemaID = "visage.report/1"

    /// What is known about the input file before decoding.
    public struct InputFacts: Sendable {
        public var relativePath: String
        public var sha256: String
        public var byteCount: Int
        public var format: String
    }

    /// The report's header members shared by ok and error reports.
    static func header(_ input: InputFacts, pipeline: CompiledPipeline) -> [String: JSONValue] {
        [
            "schema": .string(schemaID),
            "tool": .object(["name": .string("visage"), "version": .string(ToolVersion.current)]),
            "input": .object(["path": .string(input.relativePath), "sha256": .string(input.sha256),
                              "bytes": .int(input.byteCount), "format": .string(input.format)]),
            "pipeline": .object(["name": .string(pipeline.spec.name), "hash": .string(pipeline.hash)]),
            "models": .array(pipeline.models.sorted { $0.name < $1.name }.map {
                .object(["name": .string($0.name), "sha256": .string($0.sha256)])
            }),
        ]
    }

    /// An error report: where processing stopped (`read`, `decode`, `limits` or `step:<id>`) and why.
    public static func failure(_ input: InputFacts, pipeline: CompiledPipeline, stage: String, reason: String) -> JSONValue {
        var members = header(input, pipeline: pipeline)
        members["status"] = .string("error")
        members["error"] = .object(["stage": .string(stage), "reason": .string(reason)])
        return .object(members)
    }

    /// A successful report from the decoded image and each step's report; `annotated` is the
    /// annotated picture's path relative to the output folder, when one was written.
    public static func success(_ input: InputFacts, pipeline: CompiledPipeline, decoded: InputImage,
                               stepReports: [(id: String, report: StepReport)], annotated: String? = nil) -> JSONValue {
        var members = header(input, pipeline: pipeline)
        if let annotated { members["annotated"] = .string(annotated) }
        if case .object(var facts)? = members["input"] {
            facts["stored_size"] = .array([.int(decoded.storedSize.width), .int(decoded.storedSize.height)])
            facts["size"] = .array([.int(decoded.image.width), .int(decoded.image.height)])
            facts["orientation"] = .object(["exif": .int(decoded.orientation), "applied": .bool(decoded.orientationApplied)])
            facts["decode_scale"] = .int(decoded.decodeScale)
            if let profile = decoded.colorProfile { facts["color_profile"] = .string(profile) }
            members["input"] = .object(facts)
        }
        let include = pipeline.spec.report.include
        var results: [String: JSONValue] = [:]
        var faces: [[String: JSONValue]] = []
        for (id, report) in stepReports where include.isEmpty || include.contains(id) {
            switch report {
            case .none: break
            case .image(let value): results[id] = value
            case .perFace(let values):
                while faces.count < values.count { faces.append(["index": .int(faces.count)]) }
                for (i, value) in values.enumerated() {
                    // Landmark arrays are large: kept only with `report.landmarks: true`.
                    if !pipeline.spec.report.landmarks, case .object(var members) = value, members["landmarks"] != nil {
                        members["landmarks"] = nil
                        faces[i][id] = .object(members)
                    } else {
                        faces[i][id] = value
                    }
                }
            }
        }
        members["status"] = .string("ok")
        members["results"] = .object(results)
        members["faces"] = .array(faces.map(JSONValue.object))
        return .object(members)
    }
}
