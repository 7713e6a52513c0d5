import Foundation
import PeerMatch

/// The spreadsheets of one import into a term.
public struct ImportFiles: Sendable, Hashable {
    public var mentors: ImportFile
    public var mentees: ImportFile
    /// Columns a, b, reason: never pair these two (anywhere in the scheme).
    public var exclusions: ImportFile?
    /// Columns mentor, mentee: keep this pair (stored as a locked proposal of the term).
    public var locked: ImportFile?
    public init(mentors: ImportFile, mentees: ImportFile, exclusions: ImportFile? = nil, locked: ImportFile? = nil) {
        self.mentors = mentors; self.mentees = mentees; self.exclusions = exclusions; self.locked = locked
    }
    var all: [ImportFile] { [mentors, mentees] + [exclusions, locked].compactMap { $0 } }

    /// The files by their role in the import.
    var byRole: [(ImportRole, ImportFile)] {
        [(.mentors, mentors), (.mentees, mentees)] + [exclusions.map { (ImportRole.exclusions, $0) }, locked.map { (ImportRole.locked, $0) }].compactMap { $0 }
    }
}

/// One field of a person that an import changed.
public struct FieldChange: Sendable, Hashable {
    public var field: String
    public var before: String
    public var after: String
}

/// A person an import changed, and how.
public struct PersonChange: Sendable, Hashable {
    public var id: PersonID
    public var role: Role
    public var changes: [FieldChange]
}

/// What an import did.
public struct ImportSummary: Sendable, Hashable {
    public var importID: Int64
    public var term: TermID
    public var mentors: Int
    public var mentees: Int
    /// People new to the term.
    public var added: [PersonID]
    /// Of those, people the scheme knew from an earlier term (matched by id).
    public var returning: [PersonID]
    /// People already in the term whose details changed.
    public var updated: [PersonChange]
    public var unchanged: Int
    public var exclusionsAdded: Int
    public var locksAdded: Int
    /// Warnings from the import's checks (located), and from the term's cohort as a whole.
    public var warnings: [String]

    /// One line: "24 mentors, 31 mentees: 55 new (12 from earlier terms), 0 updated, ...".
    public var line: String {
        "\(term): \(mentors) mentors, \(mentees) mentees: \(added.count) new to the term (\(returning.count) known from earlier terms), \(updated.count) updated, \(unchanged) unchanged; \(exclusionsAdded) exclusions and \(locksAdded) locked pairs added"
    }
}
