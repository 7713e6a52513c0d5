import Foundation

/// Writes output files whole or not at all, and never over an input.
public enum AtomicFile {
    /// Writes `text` to `path` through a temporary file in the same folder and a rename, so a
    /// crash or a full disk never leaves a half-written file. Refuses to overwrite any of `inputs`.
    public static func write(_ text: String, to path: String, protecting inputs: [String] = []) throws {
        let target = try check(path, protecting: inputs)
        let folder = target.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temp)
            // rename(2) replaces an existing file atomically. (Foundation's replaceItemAt on Linux
            // was seen to remove the old file and then fail, leaving nothing.)
            guard rename(temp.path, target.path) == 0 else {
                throw InputError(file: path, "could not write: \(String(cString: strerror(errno)))")
            }
        } catch let error as InputError {
            try? FileManager.default.removeItem(at: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw InputError(file: path, "could not write: \(error.localizedDescription)")
        }
    }

    /// Checks, without writing, what ``write(_:to:protecting:)`` checks: `path` is none of
    /// `inputs`, is not a folder, and its folder exists and is writable. Commands that run long (`compare`) call
    /// it for every output before their first solve. Returns the resolved target.
    @discardableResult
    public static func check(_ path: String, protecting inputs: [String] = []) throws -> URL {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        for input in inputs where URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath() == target {
            throw InputError(file: path, "refusing to overwrite an input file; choose another --out")
        }
        let folder = target.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(file: path, "the folder \(folder.path) does not exist")
        }
        if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir), isDir.boolValue {
            throw InputError(file: path, "is a folder; give a file name")
        }
        guard access(folder.path, W_OK) == 0 else { throw InputError(file: path, "the folder \(folder.path) is not writable") }
        return target
    }

    /// Reads a whole file, with a clear error when it cannot.
    public static func read(_ path: String) throws -> Data {
        guard FileManager.default.fileExists(atPath: path) else { throw InputError(file: path, "no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(file: path, "cannot be read") }
        return data
    }
}
