import ArgumentParser
import Foundation
import PeerMatch

extension CohortGenerator.Setting: ExpressibleByArgument {}
extension GenderMix.Name: ExpressibleByArgument {}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic generated cohort, or a programme of them (same seed, same files).",
        discussion: "Every distribution is documented in Sources/PeerMatch/Generate/DISTRIBUTIONS.md (also --describe).")

    enum ProgrammeName: String, ExpressibleByArgument { case pilot }

    @Option(help: "The kind of scheme.")
    var setting: CohortGenerator.Setting = .secondary
    @Option(help: "Number of mentees.") var mentees: Int?
    @Option(help: "Number of mentors (default: the setting's mentors per mentee).") var mentors: Int?
    @Option(name: .customLong("gender-mix"), help: "Fix the gender mix instead of drawing it (skewed: mostly male mentors, mostly female mentees).")
    var genderMix: GenderMix.Name?
    @Option(help: "pilot: a folder of 100 cohorts like the national pilot programme (needs --out FOLDER).")
    var programme: ProgrammeName?
    @Option(help: "With --programme: number of cohorts (the pilot's mix of settings, scaled).") var cohorts: Int = 100
    @Option(name: .customLong("shard-index"), help: "With --programme: write only cohorts whose number (0-based) mod --shard-count is this.")
    var shardIndex: Int?
    @Option(name: .customLong("shard-count"), help: "With --programme: number of shards the programme is split into.") var shardCount: Int?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Weekly slots for a timetable (0: none; up to 15: lunch, tutor time, after school).") var slots: Int = 0
    @Option(help: "Rooms for the timetable (with --slots).") var rooms: Int = 3
    @Option(help: "Output cohort file (default: stdout), or the folder for --programme.") var out: String?
    @Flag(help: "With --programme: replace cohort files that already exist in the folder.") var force = false
    @Flag(help: "Print every distribution the generator draws from (Markdown) and exit.") var describe = false

    func validate() throws {
        if describe { return }
        if programme != nil {
            guard out != nil else { throw ValidationError("--programme needs --out FOLDER") }
            guard mentees == nil, mentors == nil, genderMix == nil else {
                throw ValidationError("--programme draws sizes and gender mixes itself; drop --mentees, --mentors and --gender-mix")
            }
            guard cohorts > 0 else { throw ValidationError("--cohorts must be positive") }
            return
        }
        guard shardIndex == nil, shardCount == nil else { throw ValidationError("--shard-index and --shard-count split a --programme; one cohort is one file") }
        guard let mentees else { throw ValidationError("--mentees is required (or --programme pilot)") }
        guard mentees > 0 else { throw ValidationError("--mentees must be positive") }
        if let mentors, mentors <= 0 { throw ValidationError("--mentors must be positive") }
        guard (0...15).contains(slots) else { throw ValidationError("--slots must be from 0 to 15") }
        guard rooms > 0 else { throw ValidationError("--rooms must be positive") }
    }

    func run() throws {
        if describe {
            print(GeneratorSettings.markdown(), terminator: "")
            return
        }
        if programme != nil, let out {
            let shard: Shard
            do { shard = try Shard.resolve(index: shardIndex, count: shardCount, environment: ProcessInfo.processInfo.environment) } catch let problem as Shard.Problem {
                throw ValidationError(problem.description)
            }
            let members = Programme.pilot(seed: seed, cohorts: cohorts).enumerated().filter { shard.contains($0.offset) }.map(\.element)
            try writeProgramme(members, of: cohorts, shard: shard, to: out)
            return
        }
        let generator = CohortGenerator(setting: setting, mentees: mentees!, mentors: mentors, seed: seed, genderMix: genderMix,
                                        slots: slots, rooms: slots > 0 ? rooms : 0)
        try emit(generator.document(), to: out, inputs: [])
    }

    /// Writes the shard's cohorts into `folder` (created if missing), all of them or none. Refuses,
    /// before writing anything, when one of its cohort files is already there, unless --force; with
    /// --force it says what it replaces. Shards of one programme write disjoint files into the same folder.
    func writeProgramme(_ members: [Programme.Member], of total: Int, shard: Shard, to folder: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: folder, isDirectory: &isDir), !isDir.boolValue {
            throw InputError(file: folder, "exists and is not a folder")
        }
        let paths = members.map { URL(fileURLWithPath: folder).appendingPathComponent($0.fileName).path }
        let existing = paths.filter { fm.fileExists(atPath: $0) }
        if !existing.isEmpty && !force {
            throw InputError(file: folder, "\(existing.count) of the \(paths.count) cohort files \(shard.isWhole ? "" : "of \(shard) ")already exist (e.g. \(URL(fileURLWithPath: existing[0]).lastPathComponent)); nothing was written. Use another folder, or --force to replace them")
        }
        var plan = OutputPlan(protecting: [])
        let outputs = try paths.map { try plan.file($0, option: "--out", createFolders: true) }
        for (member, output) in zip(members, outputs) {
            plan.set(output, text: member.generator.document())
        }
        if !existing.isEmpty { warn("replacing \(existing.count) existing cohort files in \(folder)") }
        try plan.commit()
        warn(shard.isWhole ? "wrote \(members.count) cohorts to \(folder)"
                           : "wrote \(members.count) of the \(total) cohorts (\(shard), from \(shard.source)) to \(folder)")
    }
}
