import ArgumentParser
import PeerMatchStore

struct SchemeCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check the scheme file: SQLite's integrity and foreign keys, and the store's own rules.")

    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        let store = try scheme.open()
        let problems = try store.check()
        if problems.isEmpty { print("\(store.path): ok"); return }
        for p in problems { warn(p) }
        throw ExitCode(1)
    }
}
