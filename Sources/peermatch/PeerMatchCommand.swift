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
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            Foundation.exit(1)
        } catch let error as MatchInputError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            Foundation.exit(1)
        } catch let error as StoreError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            Foundation.exit(1)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
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

/// Writes output to a file (atomically, never over an input) or to stdout.
func emit(_ text: String, to out: String?, inputs: [String]) throws {
    if let out {
        try AtomicFile.write(text, to: out, protecting: inputs)
    } else {
        FileHandle.standardOutput.write(Data(text.utf8))
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

func warn(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

extension OutputFormat: ExpressibleByArgument {}
extension SolverChoice: ExpressibleByArgument {}
