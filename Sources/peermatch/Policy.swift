import ArgumentParser
import PeerMatch

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Print the default policy file, documented, to copy and edit.")

    func run() throws { print(Policy.defaultYAML, terminator: "") }
}
