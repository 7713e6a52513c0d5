import ArgumentParser
import PeerMatchStore

struct SchemeTermList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The scheme's terms, earliest first.")

    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        print(SchemeText.terms(try scheme.open().terms()), terminator: "")
    }
}
