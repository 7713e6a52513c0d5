import Foundation
import GRDB
import PeerMatch

/// Instants as the store writes them: ISO 8601 in UTC to the second ("2026-09-07T08:30:00Z"), so
/// they sort as text and read the same in every time zone.
enum Instant {
    static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }

    /// The calendar date of an instant in UTC.
    static func date(_ date: Date) -> CalendarDate {
        CalendarDate(dayNumber: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}

/// Files that hold the scheme's data (the scheme itself, backups, exports): created readable by
/// their owner only, and written whole or not at all.
public enum PrivateFile {
    /// Creates an empty file with mode 0600; refuses one that exists.
    static func createEmpty(_ path: String, what: String) throws {
        let fd = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else {
            let why = errno == EEXIST ? "already exists; choose another name (an existing file is never overwritten)"
                : "cannot be created: \(String(cString: strerror(errno)))"
            throw StoreError(.invalid, "\(path): \(what) \(why)")
        }
        // The mode given to open(2) is reduced by the umask; make sure it is exactly 0600.
        fchmod(fd, 0o600)
        close(fd)
    }

    /// Writes `data` to `path` through a 0600 temporary file in the same folder and a rename, so a
    /// crash never leaves half a file. Refuses to replace a file unless `replace` is true.
    public static func write(_ data: Data, to path: String, replace: Bool = false) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw StoreError(.invalid, "\(path): the folder \(folder) does not exist")
        }
        if !replace && FileManager.default.fileExists(atPath: path) {
            throw StoreError(.invalid, "\(path): already exists; choose another name (an existing file is never overwritten)")
        }
        let temp = folder + "/.\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp"
        try? FileManager.default.removeItem(atPath: temp)
        try createEmpty(temp, what: "temporary file")
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temp))
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temp, path) == 0 else { throw StoreError(.invalid, "\(path): could not be written: \(String(cString: strerror(errno)))") }
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            if let e = error as? StoreError { throw e }
            throw StoreError(.invalid, "\(path): could not be written: \(error.localizedDescription)")
        }
    }
}

extension PrivateFile {
    /// Writes files into a new folder (mode 0700, files 0600): the folder is made under a
    /// temporary name and renamed once every file is in it, so it is whole or not there. Refuses
    /// an existing folder.
    public static func writeFolder(_ files: [(name: String, data: Data)], to path: String) throws -> [String] {
        let url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: path) {
            throw StoreError(.invalid, "\(path): already exists; give a new folder (an existing one is never written into)")
        }
        let parent = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDir), isDir.boolValue else {
            throw StoreError(.invalid, "\(path): the folder \(parent) does not exist")
        }
        let temp = parent + "/.\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp"
        try? FileManager.default.removeItem(atPath: temp)
        do {
            try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            for f in files { try write(f.data, to: temp + "/" + f.name) }
            guard rename(temp, path) == 0 else { throw StoreError(.invalid, "\(path): could not be written: \(String(cString: strerror(errno)))") }
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
        return files.map(\.name)
    }
}

extension SchemeStore {
    /// A consistent copy of the whole file while it is in use (SQLite's online backup, which
    /// copies one snapshot even while other processes write), to a new 0600 file.
    func backupFile(to destination: String) throws {
        try PrivateFile.createEmpty(destination, what: "backup file")
        do {
            let target = try DatabaseQueue(path: destination)
            try pool.backup(to: target)
            try target.close()
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw StoreError(.database, "\(destination): the backup failed: \(error)")
        }
    }
}

// MARK: - JSON text in columns

/// Compact JSON text for columns (one line, no spaces), keys in the value's own order, so the
/// same value is stored as the same bytes; numbers and strings written as the core writes them.
enum CompactJSON {
    static func text(_ v: JSONValue) -> String {
        var out = ""
        write(v, &out)
        return out
    }

    private static func write(_ v: JSONValue, _ out: inout String) {
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x): out += JSONValue.number(x)
        case .string(let s): out += JSONValue.quoted(s)
        case .array(let items):
            out += "["
            for (k, item) in items.enumerated() { if k > 0 { out += "," }; write(item, &out) }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (k, (key, item)) in pairs.enumerated() {
                if k > 0 { out += "," }
                out += JSONValue.quoted(key) + ":"; write(item, &out)
            }
            out += "}"
        }
    }

    static func parse(_ text: String, what: String) throws -> JSONValue {
        do { return try JSONValue.parseJSON(Data(text.utf8), file: what) } catch {
            throw StoreError(.database, "\(what): stored JSON cannot be read: \(error)")
        }
    }

    static func strings(_ list: [String]) -> String { text(.array(list.map { .string($0) })) }

    static func stringList(_ text: String) -> [String] {
        if text == "[]" { return [] }
        guard let data = text.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
        return list
    }

    static func sessions(_ list: [Session]) -> String {
        text(.array(list.map { .object([("slot", .string($0.slot)), ("room", .string($0.room))]) }))
    }

    static func sessionList(_ text: String) -> [Session] {
        if text == "[]" { return [] }
        return sessionMemo.value(text) { text in
        guard let data = text.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [[String: String]] else { return [] }
        return list.compactMap { d in d["slot"].flatMap { s in d["room"].map { Session(slot: s, room: $0) } } }
        }
    }

    static func dates(_ list: [CalendarDate]) -> String { strings(list.map(\.description)) }
    static func dateList(_ text: String) -> [CalendarDate] {
        if text == "[]" { return [] }
        return dateMemo.value(text) { stringList($0).compactMap { CalendarDate($0) } }
    }

    /// A term's 2,000 pairs share a few dozen session lists (one per slot and room) and a handful
    /// of date lists (one per weekday, less the weeks off), and decoding them was a fifth of the
    /// whole-term pages' time: each distinct text is decoded once and the (immutable) value reused.
    private static let sessionMemo = Memo<[Session]>()
    private static let dateMemo = Memo<[CalendarDate]>()
}

/// Decoded values by their stored text, bounded (cleared when full), safe from any thread.
final class Memo<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Value] = [:]
    private let capacity: Int

    init(capacity: Int = 4096) { self.capacity = capacity }

    func value(_ text: String, _ decode: (String) -> Value) -> Value {
        if let v = lock.withLock({ values[text] }) { return v }
        let v = decode(text)
        lock.withLock {
            if values.count >= capacity { values.removeAll(keepingCapacity: true) }
            values[text] = v
        }
        return v
    }
}

extension CalendarDate: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> CalendarDate? {
        String.fromDatabaseValue(dbValue).flatMap { CalendarDate($0) }
    }
}

extension TermID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> TermID? { String.fromDatabaseValue(dbValue).map { TermID($0) } }
}

extension PersonID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> PersonID? { String.fromDatabaseValue(dbValue).map { PersonID($0) } }
}
