import ArgumentParser
import PeerMatch

struct Policies: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the named policy presets (use one with --policy NAME), or print one to copy and edit.")

    @Option(help: "Print this preset's policy file instead of the list.") var show: String?

    func run() throws {
        if let show {
            guard let preset = PolicyPreset.named(show) else {
                throw InputError(file: show, "is not a preset; presets: " + PolicyPreset.all.map(\.name).joined(separator: ", "))
            }
            print(preset.yaml, terminator: "")
            return
        }
        let width = PolicyPreset.all.map(\.name.count).max() ?? 0
        for preset in PolicyPreset.all {
            print(preset.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + preset.summary)
        }
    }
}
