import Foundation

/// Reads input files whole, within a size limit, with errors that name the file and say what to do.
///
/// Works for regular files and for pipes (`solve <(gunzip -c cohort.json.gz)`): the size of a
/// regular file is checked before reading, anything else is read until it passes the limit.
public enum InputFile {
    /// The bytes of `path`, or an ``InputError``: no such file, a folder, not readable, or larger
    /// than `limit` bytes (the message says how to raise it).
    public static func read(_ path: String, limit: Int = ReadLimits.standard.maxInputBytes) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT: throw InputError(file: path, "no such file")
            case EACCES: throw InputError(file: path, "cannot be read (permission denied)")
            case ENOTDIR: throw InputError(file: path, "no such file (a part of the path is not a folder)")
            default: throw InputError(file: path, "cannot be opened: \(String(cString: strerror(code)))")
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw InputError(file: path, "cannot be read: \(String(cString: strerror(errno)))") }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFDIR { throw InputError(file: path, "is a folder, not a file") }
        if kind == S_IFREG && Int(st.st_size) > limit { throw tooLarge(path, limit) }
        var data = Data()
        if kind == S_IFREG { data.reserveCapacity(Int(st.st_size)) }
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, chunk) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EISDIR { throw InputError(file: path, "is a folder, not a file") }
                throw InputError(file: path, "cannot be read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            if data.count + n > limit { throw tooLarge(path, limit) }
            data.append(contentsOf: buffer[0..<n])
        }
        return data
    }

    static func tooLarge(_ path: String, _ limit: Int) -> InputError {
        InputError(file: path, "is larger than the input limit of \(ReadLimits.describe(bytes: limit)); if it really is one input, raise the limit with --max-input-size (e.g. --max-input-size 2G)")
    }
}

#if canImport(Darwin)
import Darwin
let systemRead = Darwin.read
let systemWrite = Darwin.write
#else
import Glibc
let systemRead = Glibc.read
let systemWrite = Glibc.write
#endif
