import ArgumentParser
import Foundation
import PeerMatch
import PeerMatchStore

/// `peermatch scheme ...`: the co-ordinator's year over one scheme file. Each verb is one file in
/// this folder and one `SchemeStore` call.
struct SchemeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheme",
        abstract: "The scheme workspace: terms, imports, matches, approvals, sessions and reports in one file.",
        discussion: """
            Every verb but init names the scheme file with --scheme FILE (or the PEERMATCH_SCHEME environment
            variable). Changes are recorded in the file's audit log under --by NAME (default: your login name).
            Nothing is ever deleted: endings, declines and withdrawals are records.
            """,
        subcommands: [SchemeInit.self, SchemeInfo.self, SchemeTerm.self, SchemeImport.self, SchemeMatch.self, SchemeShow.self,
                      SchemeApprove.self, SchemeDecline.self, SchemeLock.self, SchemeUnlock.self, SchemeEnd.self,
                      SchemeWithdraw.self, SchemeRecord.self, SchemeRegister.self, SchemeReview.self, SchemeHours.self, SchemeOutcomes.self,
                      SchemeReport.self, SchemeExport.self, SchemeBackup.self, SchemeAudit.self, SchemeDraft.self, SchemeCheck.self, SchemeCohort.self,
                      SchemeWhyNot.self, SchemeSwap.self, SchemeMove.self, SchemeTimetable.self, SchemeSlips.self]
    )
}

/// The scheme file and the actor, shared by every verb but init.
struct SchemeFileOptions: ParsableArguments {
    @Option(name: .customLong("scheme"), help: "The scheme file (default: $PEERMATCH_SCHEME).")
    var file: String?

    func open() throws -> SchemeStore {
        guard let path = file ?? ProcessInfo.processInfo.environment["PEERMATCH_SCHEME"], !path.isEmpty else {
            throw ValidationError("name the scheme file with --scheme FILE (or set PEERMATCH_SCHEME)")
        }
        return try SchemeStore.open(at: path, options: .fromEnvironment())
    }
}

/// Who is making a change.
struct ActorOption: ParsableArguments {
    @Option(help: "Your name for the audit log (default: your login name).") var by: String?
    var actor: Actor { by.map { Actor($0) } ?? .login }
}

/// `--term T`, defaulting to the term with the latest start.
struct TermOption: ParsableArguments {
    @Option(help: "The term (default: the term with the latest start).") var term: String?
    func resolve(_ store: SchemeStore) throws -> TermID {
        if let term { return TermID(term) }
        return try store.latestTerm()
    }
}

/// What approve, decline, lock and unlock share: the pairs, a note, the term, the file, the actor.
struct PairsArguments: ParsableArguments {
    @Argument(help: "Pairs: MENTOR:MENTEE, or a mentee's id.") var pairs: [String] = []
    @Option(help: "Why (kept with the pair and in the audit log).") var note: String?
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    /// The store, the term and the named pairs (all of `states` in the term with `all`).
    func resolve(all: Bool = false, states: [PairState] = [.proposed]) throws -> (SchemeStore, TermID, [PairRef]) {
        let store = try scheme.open()
        let id = try term.resolve(store)
        let refs = all ? try store.proposals(term: id).pairs(in: states).map(\.ref) : try pairRefs(pairs, store: store, term: id)
        return (store, id, refs)
    }
}

/// Pairs named on the command line (MENTOR:MENTEE, or a mentee's id) in one term.
func pairRefs(_ texts: [String], store: SchemeStore, term: TermID) throws -> [PairRef] {
    var problems: [String] = []
    var refs: [PairRef] = []
    for t in texts {
        do { refs.append(try store.pairRef(t, term: term)) } catch let e as StoreError { problems += e.messages }
    }
    if !problems.isEmpty { throw StoreError(.invalid, problems + ["nothing was changed"]) }
    return refs
}

/// A date option's value.
func parseDate(_ text: String, option: String) throws -> CalendarDate {
    if text == "today" { return CalendarDate.today }
    guard let d = CalendarDate(text) else { throw ValidationError("\(option): expected a date such as 2026-09-07 (or today), found \"\(text)\"") }
    return d
}

extension CalendarDate {
    /// Today's date in the machine's time zone.
    static var today: CalendarDate {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!))!
    }
}

