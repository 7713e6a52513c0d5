import ArgumentParser
import PeerMatchStore

struct SchemeOutcomesDefine: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "define", abstract: "Add a measure: items scored from --min to --max.")

    @Argument(help: "The measure's name (letters, digits, -).") var name: String
    @Option(help: "What it is called in reports.") var title: String
    @Option(help: "Number of items.") var items: Int
    @Option(help: "Lowest item score.") var min: Int
    @Option(help: "Highest item score.") var max: Int
    @Flag(name: .customLong("lower-is-better"), help: "A lower total is better.") var lowerIsBetter = false
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        try scheme.open().defineMeasure(name: name, title: title, items: items, itemMin: min, itemMax: max, higherIsBetter: !lowerIsBetter, by: actor.actor)
        print("measure \(name.lowercased()) added")
    }
}
