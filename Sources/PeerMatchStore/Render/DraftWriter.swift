import Foundation
import PeerMatch

/// A staged import as text: its files, how each column is read, every problem at its cell, and
/// what saving it would do.
public enum DraftWriter {
    public static func text(_ d: ImportDraft, rows: Bool = false) -> String {
        var out = "\(d.id) for term \(d.term): \(d.state.rawValue); " + d.files.map { "\($0.role.rawValue): \($0.name) (\($0.bytes) bytes)" }.joined(separator: ", ") + "\n"
        for n in d.report.notes { out += "  note: \(n)\n" }
        var lastFile = ""
        for c in d.report.columns {
            if c.file != lastFile { out += "  \(c.file) columns:\n"; lastFile = c.file }
            let how: String
            switch c.source {
            case .header: how = "→ \(c.field ?? "")"
            case .columnMap: how = "→ \(c.field ?? "") (chosen)"
            case .ignored: how = "ignored" + (c.suggestion.map { " (looks like \($0))" } ?? "")
            }
            out += "    \(c.column). \(c.header) \(how)\(c.separator.map { ", items separated by \"\($0)\"" } ?? "")\n"
        }
        if rows {
            for (role, table) in d.report.tables.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                out += "  \(role.rawValue) (\(table.displayName)): \(table.header.joined(separator: " | "))\n"
                for r in table.rows { out += "    \(table.format == .csv ? "line" : "row") \(r.line): \(r.cells.joined(separator: " | "))\n" }
            }
        }
        for e in d.edits { out += "  edited \(e.role.rawValue) \(e.line):\(e.column) = \"\(e.value)\"\n" }
        let problems = d.problems + d.report.diagnostics
        if !problems.isEmpty {
            out += "  \(d.errors.count) error\(d.errors.count == 1 ? "" : "s"), \(problems.count - d.errors.count) warning\(problems.count - d.errors.count == 1 ? "" : "s"):\n"
            for p in problems { out += "    \(p.description)\n" }
        }
        if let p = d.preview {
            out += "  saving it would import " + p.line + "\n"
            out += "  save with: peermatch scheme draft commit \(d.id.rawValue)\n"
        } else if d.state == .open {
            out += "  fix the errors (peermatch scheme draft edit \(d.id.rawValue) --cell ROLE:LINE:COLUMN=VALUE, or --columns), then commit\n"
        }
        return out
    }
}
