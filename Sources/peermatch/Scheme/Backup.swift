import ArgumentParser
import PeerMatchStore

struct SchemeBackup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "A consistent copy of the scheme file, safe while others use it (a new file, readable by you only).")

    @Argument(help: "The new backup file.") var file: String
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        let store = try scheme.open()
        try store.backup(to: file, by: actor.actor)
        print("\(file): backup of \(store.path)")
    }
}
