import Foundation

/// Writes one output file whole or not at all, and never over an input; reads inputs.
/// A thin front for ``OutputPlan`` (several outputs that must be written together) and
/// ``InputFile`` (reading within ``ReadLimits``), kept for callers that write a single file.
public enum AtomicFile {
    /// Writes `text` to `path` (`-`: standard output) through ``OutputPlan``: a temporary file
    /// in the same folder and a rename for a regular file, directly for a FIFO or a device;
    /// refuses folders and any of `inputs`.
    public static func write(_ text: String, to path: String, protecting inputs: [String] = []) throws {
        var plan = OutputPlan(protecting: inputs)
        plan.set(try plan.file(path), text: text)
        try plan.commit()
    }

    /// Checks, without writing, what ``write(_:to:protecting:)`` checks (``OutputPlan``'s checks:
    /// not an input however spelled, not a folder, its folder exists and is writable). Commands
    /// that run long (`compare`, `compare --merge`) call it for every output before their first solve.
    @discardableResult
    public static func check(_ path: String, protecting inputs: [String] = []) throws -> URL {
        var plan = OutputPlan(protecting: inputs)
        _ = try plan.file(path)
        try plan.check()
        return URL(fileURLWithPath: path)
    }

    /// Reads a whole file, with a clear error when it cannot (``InputFile/read(_:limit:)``).
    public static func read(_ path: String) throws -> Data { try InputFile.read(path) }
}
