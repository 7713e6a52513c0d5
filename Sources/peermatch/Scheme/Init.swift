import ArgumentParser
import PeerMatchStore

struct SchemeInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a new scheme file (readable by you only; an existing file is never replaced).")

    @Argument(help: "The new scheme file.") var file: String
    @Option(help: "The scheme's name (\"Northfield peer mentoring\").") var name: String
    @OptionGroup var actor: ActorOption

    func run() throws {
        let store = try SchemeStore.create(at: file, name: name, by: actor.actor, options: .fromEnvironment())
        print("\(store.path): created scheme \"\(name)\" (schema \(try store.scheme().schemaVersion))")
    }
}
