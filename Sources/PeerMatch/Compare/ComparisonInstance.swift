import Foundation

/// What every runs row says about the cohort its unit ran on: enough to split results by
/// setting and size without going back to the cohort files.
public struct InstanceInfo: Sendable, Hashable {
    /// The cohort's name in the comparison: its file name without `.json`, or a generated name.
    public var name: String
    /// The kind of scheme (`primary`, `youth-club`, ...), `unknown` when neither the file's
    /// `generated` block nor its name says.
    public var setting: String
    /// The seed the cohort was generated from, when known.
    public var cohortSeed: UInt64?
    public var mentees: Int
    public var mentors: Int
    /// Mentor places (the sum of capacities).
    public var places: Int
    /// Weekly slots of its timetable (0: matching only).
    public var slots: Int
    /// 64-bit FNV-1a of the cohort file's bytes (for a generated cohort, of the file `generate`
    /// would write), so shards that read different files under one name are never merged.
    public var hash: String

    public static let unknownSetting = "unknown"

    public init(name: String, setting: String, cohortSeed: UInt64?, mentees: Int, mentors: Int, places: Int, slots: Int, hash: String) {
        self.name = name; self.setting = setting; self.cohortSeed = cohortSeed
        self.mentees = mentees; self.mentors = mentors; self.places = places; self.slots = slots; self.hash = hash
    }

    init(name: String, cohort: Cohort, setting: String, cohortSeed: UInt64?, hash: String) {
        self.init(name: name, setting: setting, cohortSeed: cohortSeed, mentees: cohort.mentees.count,
                  mentors: cohort.mentors.count, places: cohort.mentors.reduce(0) { $0 + $1.capacity },
                  slots: cohort.timetable?.slots.count ?? 0, hash: hash)
    }

    /// The setting a cohort's name states: `001-primary`, `youth-club-7`, `special`; nil if none.
    public static func setting(fromName name: String) -> String? {
        let settings = CohortGenerator.Setting.allCases.map(\.rawValue).sorted { $0.count > $1.count }
        return settings.first { s in name == s || name.hasSuffix("-" + s) || name.hasPrefix(s + "-") || name.contains("-" + s + "-") }
    }
}

/// One cohort of a comparison: a file, or a generator that draws it on demand (so a shard of a
/// 10,000-cohort programme generates only the cohorts its units need, and none is ever on disk).
public struct ComparisonInstance: Sendable {
    public enum Source: Sendable {
        case file(path: String)
        case generator(CohortGenerator)
    }

    public var name: String
    public var source: Source

    public init(name: String, source: Source) { self.name = name; self.source = source }

    /// The file it is read from, if any (outputs must never overwrite it).
    public var path: String? {
        if case .file(let path) = source { return path }
        return nil
    }

    /// Reads (and validates) or generates the cohort, with what the runs rows say about it.
    public func load() throws -> (Cohort, InstanceInfo) {
        switch source {
        case .file(let path):
            let data = try AtomicFile.read(path)
            let (cohort, diagnostics) = try CohortReader.parse(data, file: path)
            if diagnostics.contains(where: { $0.severity == .error }) { throw InputError(diagnostics) }
            let meta = GeneratedMetadata.read(from: data)
            let setting = meta?.setting ?? InstanceInfo.setting(fromName: name) ?? InstanceInfo.unknownSetting
            return (cohort, InstanceInfo(name: name, cohort: cohort, setting: setting, cohortSeed: meta?.seed, hash: fnv1a(data)))
        case .generator(let generator):
            let cohort = generator.generate()
            return (cohort, InstanceInfo(name: name, cohort: cohort, setting: generator.setting.rawValue,
                                         cohortSeed: generator.seed, hash: fnv1a(Data(generator.document(cohort).utf8))))
        }
    }

    /// Every `*.json` file in `folder`, by name (the order of units).
    public static func files(in folder: String) throws -> [ComparisonInstance] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(file: folder, "no such folder")
        }
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted() } catch {
            throw InputError(file: folder, "cannot be read: \(error.localizedDescription)")
        }
        guard !files.isEmpty else { throw InputError(file: folder, "holds no cohort files (*.json)") }
        if let bad = files.first(where: { $0.contains(where: \.isNewline) }) {
            throw InputError(file: folder, "the file name \(bad.debugDescription) holds a line break; rename it")
        }
        return files.map { ComparisonInstance(name: String($0.dropLast(5)), source: .file(path: URL(fileURLWithPath: folder).appendingPathComponent($0).path)) }
    }

    /// `runs` generated cohorts of one setting and size, named `secondary-30-001` onwards; cohort
    /// k's seed is derived from `seed` and k alone.
    public static func generated(setting: CohortGenerator.Setting, mentees: Int, runs: Int, seed: UInt64) -> [ComparisonInstance] {
        let width = max(3, String(runs).count)
        return (0..<runs).map { k in
            let number = String(k + 1), padded = String(repeating: "0", count: max(0, width - number.count)) + number
            let generator = CohortGenerator(setting: setting, mentees: mentees, seed: UnitSeed.derive(base: seed, id: k, stream: .cohort))
            return ComparisonInstance(name: "\(setting.rawValue)-\(mentees)-\(padded)", source: .generator(generator))
        }
    }

    /// The pilot programme's cohorts (``Programme/pilot(seed:cohorts:)``), named as
    /// `generate --programme pilot` names their files, so a comparison over the programme and
    /// one over a folder it was written to are the same comparison, byte for byte.
    public static func programme(seed: UInt64, cohorts: Int) -> [ComparisonInstance] {
        Programme.pilot(seed: seed, cohorts: cohorts).map {
            ComparisonInstance(name: String($0.fileName.dropLast(5)), source: .generator($0.generator))
        }
    }
}
