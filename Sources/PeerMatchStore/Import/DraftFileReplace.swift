import Foundation
import GRDB
import PeerMatch

// Added by the web page's work (issue 11): the page's "upload a corrected file" replaces one file
// of a draft, while `updateDraft(replace:)` takes a whole `ImportFiles` (mentors and mentees
// both), whose bytes the page no longer has after the first upload.

extension SchemeStore {
    /// Replaces one file of an open draft (the mentees' sheet, say, corrected in Excel and uploaded
    /// again), keeping the other files and their cell edits; the edits made to the replaced file
    /// are dropped, since its lines may have moved. The earlier file is kept, marked superseded.
    public func replaceDraftFile(_ id: DraftID, role: ImportRole, with file: ImportFile, by actor: Actor) throws -> ImportDraft {
        try write(by: actor) { w in
            guard let row = try Row.fetchOne(w.db, sql: "SELECT state, term_id, edits FROM import_draft WHERE id = ?", arguments: [id.rawValue]) else {
                throw StoreError.notFound("no \(id) in this scheme")
            }
            guard (row["state"] as String) == "open" else { throw StoreError.invalid("\(id) is \(row["state"] as String); only an open draft can change") }
            guard role != .setup else { throw StoreError.invalid("a draft's setup file is not replaced this way; give the term its setup") }
            let edits = Self.decodeEdits(row["edits"]).filter { $0.role != role }
            try w.db.execute(sql: "UPDATE import_draft_file SET superseded_at = ? WHERE draft_id = ? AND role = ? AND superseded_at IS NULL",
                             arguments: [w.at, id.rawValue, role.rawValue])
            try w.db.execute(sql: "INSERT INTO import_draft_file (draft_id, role, name, data, added_at) VALUES (?, ?, ?, ?, ?)",
                             arguments: [id.rawValue, role.rawValue, file.name, file.data, w.at])
            try w.db.execute(sql: "UPDATE import_draft SET edits = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                             arguments: [Self.encodeEdits(edits), w.at, actor.name, id.rawValue])
            w.audit("draft.update", term: TermID(row["term_id"]), subject: "\(id)", detail: "replaced \(role.rawValue) with \(file.name)")
        }
        return try importDraft(id)
    }
}
