import ArgumentParser
import PeerMatchStore

struct SchemeInfo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "The scheme's name, terms and counts.")

    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        print(SchemeText.summary(try scheme.open().scheme()), terminator: "")
    }
}
