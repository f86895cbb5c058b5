/// The version written into every report and printed by `visage --version`.
public enum ToolVersion {
    public static let current = "0.1.0"
}
