import ArgumentParser
import Foundation
import PeerMatch
import PeerMatchStore

@main
struct PeerMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peermatch",
        abstract: "Match peer mentors to mentees under hard rules, with a reason for every pair.",
        discussion: "Exit codes: 0 ok, 1 invalid input or infeasible, 2 usage error.",
        version: "peermatch \(PeerMatchVersion.current) (GLPK \(GLPKBackend.version))",
        subcommands: [Solve.self, Candidates.self, Validate.self, Import.self, Generate.self, PolicyCommand.self, Policies.self, Compare.self, SchemeCommand.self, Serve.self],
        defaultSubcommand: nil
    )

    /// Runs the tool with PeerMatch's exit codes: usage errors exit 2 (ArgumentParser's default is 64).
    /// SIGINT, SIGTERM and SIGHUP stop the run and leave no output behind (``Interruption``).
    static func main() {
        Interruption.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            warn(error.description)
            Foundation.exit(1)
        } catch let error as MatchInputError {
            warn(error.description)
            Foundation.exit(1)
        } catch let error as StoreError {
            warn(error.description)
            Foundation.exit(1)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            warn(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}

/// Options every command that reads a cohort shares.
struct PolicyOption: ParsableArguments {
    @Option(name: .long, help: "Policy file (JSON or YAML) or preset name (peermatch policies). Default: the shipped default policy (peermatch policy).")
    var policy: String?

    func load() throws -> Policy {
        guard let policy else { return .default }
        return try PolicyReader.resolve(policy)
    }

    /// The policy argument when it names a file (so output never overwrites it).
    var files: [String] {
        guard let policy, PolicyPreset.named(policy) == nil || FileManager.default.fileExists(atPath: policy) else { return [] }
        return [policy]
    }
}

/// Limits on what commands read (``ReadLimits``), for every command that reads a cohort or a spreadsheet.
struct ReadLimitOptions: ParsableArguments {
    @Option(name: .customLong("max-input-size"),
            help: "Largest input file to read, e.g. 512M or 2G (default 512M; YAML files at most 16M).")
    var maxInputSize: String?
    @Option(name: .customLong("max-people"), help: "Most people (mentors and mentees) in one cohort (default 1000000).")
    var maxPeople: Int?

    func validate() throws {
        if let maxInputSize, ReadLimits.parseSize(maxInputSize) == nil {
            throw ValidationError("--max-input-size must be a size such as 512M, 2G or 800000 (bytes), got \"\(maxInputSize)\"")
        }
        if let maxPeople, maxPeople < 1 { throw ValidationError("--max-people must be positive") }
    }

    /// Sets ``ReadLimits/standard`` for the readers of this run.
    func apply() {
        var limits = ReadLimits.standard
        if let maxInputSize, let bytes = ReadLimits.parseSize(maxInputSize) { limits.maxInputBytes = bytes }
        if let maxPeople { limits.maxPeople = maxPeople }
        ReadLimits.standard = limits
    }
}

/// Reads a cohort file, printing its warnings (near misses among them) on stderr; errors throw.
func readCohort(_ path: String, policy: Policy, departed: Set<String> = []) throws -> Cohort {
    let (cohort, diagnostics) = try CohortReader.parse(try AtomicFile.read(path), file: path, policy: policy, departed: departed)
    let errors = diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty { throw InputError(errors) }
    for d in diagnostics { warn(d.description) }
    return cohort
}

/// Writes one output (a file, or standard output when `out` is nil) whole, never over an input.
/// Commands with several outputs, or long work before them, declare an ``OutputPlan`` first.
func emit(_ text: String, to out: String?, option: String = "--out", inputs: [String]) throws {
    var plan = OutputPlan(protecting: inputs)
    plan.set(try plan.file(out, option: option), text: text)
    try plan.commit()
}

/// A line on standard error (written directly, so a closed stderr is no crash).
func warn(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    bytes.withUnsafeBytes { b in
        var offset = 0
        while offset < b.count {
            let n = write(2, b.baseAddress! + offset, b.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension Interruption.Mode: ExpressibleByArgument {}
extension SolverChoice: ExpressibleByArgument {}
