import ArgumentParser
import Foundation
import PeerMatchStore

struct SchemeExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "All of the scheme as JSON and CSV into a new folder (--redact: ids and initials only).")

    @Option(help: "A new folder for the files (readable by you only).") var out: String
    @Flag(help: "People by id and initials only; notes, reasons and details left out.") var redact = false
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        let store = try scheme.open()
        let bundle = try store.exportAll(redact: redact, by: actor.actor)
        let paths = try PrivateFile.writeFolder(bundle.files.map { ($0.name, Data($0.text.utf8)) }, to: out)
        print("\(out): " + paths.joined(separator: ", ") + (redact ? " (redacted)" : ""))
    }
}
