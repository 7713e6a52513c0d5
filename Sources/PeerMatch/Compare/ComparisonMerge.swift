import Foundation

/// `peermatch compare merge`: the shards' runs files back into one comparison. It checks, before
/// summarising, that the files hold runs of one comparison made by this version, every unit
/// exactly once, and one cohort under each name; each problem is named with its files and lines.
/// The result is the comparison a single machine would have made, byte for byte.
public enum ComparisonMerge {
    static let label = "compare merge"

    /// Reads and checks the files; every problem found is in the one ``InputError``.
    public static func merge(paths: [String]) throws -> Comparison {
        var seen: [String: String] = [:]
        var problems: [Diagnostic] = []
        for path in paths {
            let real = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
            if let first = seen[real] {
                problems.append(Diagnostic(file: path, at: "", first == path ? "is given twice; give each shard's file once" : "is the same file as \(first); give each shard's file once"))
            }
            else { seen[real] = path }
        }
        if !problems.isEmpty { throw InputError(problems) }
        var contents: [RunsFile.Contents] = []
        for path in paths {
            do { contents.append(try RunsFile.read(path)) } catch let error as InputError { problems += error.diagnostics }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return try merge(contents)
    }

    public static func merge(_ files: [RunsFile.Contents]) throws -> Comparison {
        guard !files.isEmpty else { throw InputError(file: label, "give the runs files of every shard") }
        func fail(_ message: String) -> InputError { InputError(file: label, message) }

        // One timing mode, one version (this one), one comparison.
        let timed = files.filter(\.timed).map(\.file), untimed = files.filter { !$0.timed }.map(\.file)
        if !timed.isEmpty && !untimed.isEmpty {
            throw fail("\(list(timed)) \(timed.count == 1 ? "has" : "have") solve seconds (--timings) and \(list(untimed)) \(untimed.count == 1 ? "has" : "have") not: run every shard with --timings or every shard without")
        }
        let identified = files.compactMap { f in f.identity.map { (file: f.file, identity: $0) } }
        guard let first = identified.first else {
            throw fail("none of the files holds a unit (\(list(files.map(\.file)))): did the shards run?")
        }
        let versions = Dictionary(grouping: identified, by: \.identity.version)
        if versions.count > 1 || first.identity.version != PeerMatchVersion.current {
            let byVersion = versions.keys.sorted().map { "PeerMatch \($0): \(list(versions[$0]!.map(\.file)))" }
            throw fail("the shards were made by different versions of PeerMatch or by another version than this one (\(PeerMatchVersion.current)): \(byVersion.joined(separator: "; ")); run every shard and the merge with one version")
        }
        let comparisons = Dictionary(grouping: identified) { "\($0.identity.comparison) \($0.identity.unitCount) \($0.identity.policyCount) \($0.identity.scoredWith)" }
        if comparisons.count > 1 {
            let groups = comparisons.values.sorted { $0[0].file < $1[0].file }
            let described = groups.map { g -> String in
                // What the rows show of each comparison: its policies and size.
                let rows = files.filter { f in g.contains { $0.file == f.file } }.flatMap(\.records)
                var policies = [Int: String]()
                for (r, _) in rows { policies[r.unit % g[0].identity.policyCount] = r.policy }
                let shown = policies.keys.sorted().map { policies[$0]! }.joined(separator: ", ")
                let scored = g[0].identity.scoredWith.isEmpty ? "" : ", scored with \(g[0].identity.scoredWith)"
                return "\(list(g.map(\.file))): comparison \(g[0].identity.comparison), \(g[0].identity.unitCount) units, policies seen: \(shown)\(scored)"
            }
            throw fail("the files hold runs of different comparisons (\(described.joined(separator: "; "))). Every shard must be run with the same --policies, cohorts, --seed, --score-with, --time-limit and timetable mode")
        }
        let identity = first.identity
        let p = identity.policyCount

        // Every unit once, the same policy at every unit of a policy, one cohort under each name.
        var at: [Int: (record: UnitRecord, file: String, line: Int)] = [:]
        var duplicates: [String] = [], mismatches: [String] = []
        var policyAt: [Int: (String, String)] = [:], instanceAt: [Int: (InstanceInfo, String)] = [:]
        for f in files {
            for (r, line) in f.records {
                let place = "\(f.file) line \(line)"
                if let other = at[r.unit] {
                    duplicates.append("unit \(r.unit) (\(r.instance.name) × \(r.policy)) is in \(other.file) line \(other.line) and \(place)")
                    continue
                }
                at[r.unit] = (r, f.file, line)
                if let (name, where_) = policyAt[r.unit % p], name != r.policy {
                    mismatches.append("\(place): unit \(r.unit) has policy \(r.policy) where \(where_) has \(name) for the same policy position")
                } else { policyAt[r.unit % p] = (r.policy, place) }
                if let (info, where_) = instanceAt[r.unit / p], info != r.instance {
                    mismatches.append("\(place): cohort \(r.instance.name) differs from \(where_) (\(describe(info, r.instance)))")
                } else { instanceAt[r.unit / p] = (r.instance, place) }
            }
        }
        if !duplicates.isEmpty {
            throw fail("\(duplicates.count == 1 ? "a unit is" : "\(duplicates.count) units are") in more than one file: \(duplicates.prefix(4).joined(separator: "; "))\(duplicates.count > 4 ? "; …" : ""). Give each shard's file once; a shard run twice into two files, or shards of different --shard-count, overlap")
        }
        if !mismatches.isEmpty {
            throw fail("the files disagree about the comparison's units: \(mismatches.prefix(4).joined(separator: "; "))\(mismatches.count > 4 ? "; …" : ""). Were the cohort files changed between shards?")
        }
        let missing = (0..<identity.unitCount).filter { at[$0] == nil }
        if !missing.isEmpty {
            func name(_ u: Int) -> String {
                let instance = instanceAt[u / p].map { $0.0.name } ?? "cohort \(u / p + 1)"
                let policy = policyAt[u % p].map { $0.0 } ?? "policy \(u % p + 1)"
                return "\(u) (\(instance) × \(policy))"
            }
            var text = "\(missing.count) of \(identity.unitCount) units are missing: \(missing.prefix(6).map(name).joined(separator: ", "))\(missing.count > 6 ? ", …" : ".")"
            text += " " + shardHint(files: files, missing: missing)
            throw fail(text)
        }
        return Comparison(identity: identity, records: at.values.map(\.record))
    }

    /// Which shards the missing units belong to, when the files show the shard count (each
    /// file's units are one residue modulo it); otherwise how units map to shards.
    static func shardHint(files: [RunsFile.Contents], missing: [Int]) -> String {
        let general = "Unit u is solved by shard u mod N (N the --shard-count): rerun the shards that hold them; each skips the units its file already holds"
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        var g = 0
        for f in files where f.records.count >= 2 {
            let u0 = f.records[0].record.unit
            for (r, _) in f.records { g = gcd(g, abs(r.unit - u0)) }
        }
        guard g >= 2, files.allSatisfy({ $0.records.count >= 2 }) else { return general }
        var fileOf: [Int: String] = [:]
        for f in files { fileOf[f.records[0].record.unit % g] = f.file }
        guard fileOf.count == files.count else { return general }
        let shards = Array(Set(missing.map { $0 % g })).sorted()
        let incomplete = shards.compactMap { s in fileOf[s].map { "shard \(s) (\($0)) is incomplete" } }
        let absent = shards.filter { fileOf[$0] == nil }.map(String.init)
        var parts = incomplete
        if !absent.isEmpty { parts.append("no file holds shard \(absent.joined(separator: ", "))") }
        return "The files look like \(g) shards: \(parts.joined(separator: "; ")); rerun \(shards.count == 1 ? "it" : "them") (a shard skips the units its file already holds)"
    }

    static func describe(_ a: InstanceInfo, _ b: InstanceInfo) -> String {
        var parts: [String] = []
        if a.name != b.name { parts.append("name \(a.name) and \(b.name)") }
        if a.hash != b.hash { parts.append("cohort_hash \(a.hash) and \(b.hash)") }
        if a.setting != b.setting { parts.append("setting \(a.setting) and \(b.setting)") }
        if (a.mentees, a.mentors, a.places, a.slots) != (b.mentees, b.mentors, b.places, b.slots) { parts.append("sizes") }
        if a.cohortSeed != b.cohortSeed { parts.append("cohort_seed") }
        return parts.joined(separator: ", ")
    }

    static func list(_ files: [String]) -> String {
        files.count <= 4 ? files.joined(separator: ", ") : files.prefix(3).joined(separator: ", ") + " and \(files.count - 3) more"
    }
}
