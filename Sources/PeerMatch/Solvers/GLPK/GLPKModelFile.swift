import CGLPK
import Foundation

/// The file formats of exported models, each written by GLPK's own writer.
public enum ModelFileFormat: String, Sendable, CaseIterable {
    /// CPLEX LP (`glp_write_lp`): read by HiGHS, CPLEX, Gurobi, SCIP, CBC and GLPK itself.
    case lp
    /// Free MPS (`glp_write_mps`, `GLP_MPS_FILE`).
    case mps

    /// The format a file name asks for by its extension (case-insensitive), or nil.
    public init?(path: String) {
        self.init(rawValue: URL(fileURLWithPath: path).pathExtension.lowercased())
    }
}

extension GLPKBackend {
    /// One stage of a model as the text of a model file: maximise stage `stage`'s objective (MPS:
    /// minimise its negation) subject to every row and bound of `model` (earlier stages are the
    /// caller's to hold, as rows), with integer columns marked. Names that the LP format does not allow are made safe (letters,
    /// digits and `_` only, never starting with a digit or `e`); missing names are generic.
    public static func modelFile(_ model: LinearModel, stage: Int, format: ModelFileFormat, title: String) throws -> String {
        guard let lp = buildProblem(model, integer: true) else { throw ModelFileError(message: "glp_create_prob returned NULL") }
        defer { glp_delete_prob(lp) }
        glp_term_out(GLP_OFF)
        glp_set_prob_name(lp, safeName(title, prefix: "p"))
        glp_set_obj_name(lp, safeName(model.stages[stage].name, prefix: "obj"))
        // MPS has no objective sense that every reader takes (GLPK's rejects OBJSENSE; all assume
        // minimising): an MPS file minimises the negated objective, and its header says so.
        let sign: Double = format == .mps ? -1 : 1
        glp_set_obj_dir(lp, format == .mps ? GLP_MIN : GLP_MAX)
        let nc = model.columnCount, nr = model.rowCount
        var used = Set<String>()
        func unique(_ name: String) -> String {
            var n = name, k = 1
            while used.contains(n) { k += 1; n = "\(name)_\(k)" }
            used.insert(n)
            return n
        }
        for r in 0..<nr { glp_set_row_name(lp, Int32(r + 1), unique(safeName(model.rowNames[r], prefix: "r"))) }
        for c in 0..<nc {
            if model.columnKind[c] == .binary { glp_set_col_kind(lp, Int32(c + 1), GLP_BV) }
            let name = c < model.columnNames.count ? model.columnNames[c] : "x\(c)"
            glp_set_col_name(lp, Int32(c + 1), unique(safeName(name, prefix: "c")))
        }
        if nr == 0 || nc == 0 {
            // GLPK writes a model with no rows or no columns (no candidate pairs) as a file that
            // no reader takes, its own included: one column fixed at 0 in one row keeps it readable.
            let r = glp_add_rows(lp, 1), c = glp_add_cols(lp, 1)
            glp_set_row_name(lp, r, unique("empty_model")); glp_set_col_name(lp, c, unique("empty_model"))
            glp_set_row_bnds(lp, r, GLP_FX, 0, 0); glp_set_col_bnds(lp, c, GLP_FX, 0, 0)
            var ind: [Int32] = [0, c], val: [Double] = [0, 1]
            glp_set_mat_row(lp, r, 1, &ind, &val)
        }
        var coef = [Double](repeating: 0, count: nc)
        switch model.stages[stage].objective {
        case .row(let r):
            let (cols, coefs) = model.row(r)
            for (c, a) in zip(cols, coefs) { coef[Int(c)] += a }
        case .expression(let cols, let coefs):
            for (c, a) in zip(cols, coefs) { coef[Int(c)] += a }
        }
        for c in 0..<nc where coef[c] != 0 { glp_set_obj_coef(lp, Int32(c + 1), sign * coef[c]) }
        // GLPK writes to a file name: a private temporary file, read back and removed.
        let temp = FileManager.default.temporaryDirectory
            .appendingPathComponent("peermatch-model-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).\(format.rawValue)")
        defer { try? FileManager.default.removeItem(at: temp) }
        let rc: Int32
        switch format {
        case .lp: rc = glp_write_lp(lp, nil, temp.path)
        case .mps: rc = glp_write_mps(lp, GLP_MPS_FILE, nil, temp.path)
        }
        guard rc == 0, let data = FileManager.default.contents(atPath: temp.path), let text = String(data: data, encoding: .utf8) else {
            throw ModelFileError(message: "GLPK could not write the \(format.rawValue.uppercased()) file (code \(rc))")
        }
        return text
    }

    /// Reads a model file back with GLPK's own reader and solves it to optimality (presolve on, no
    /// time limit; the value in the file's own sense, so an MPS file's is negated): the tests' check that an exported file poses the model PeerMatch solved. Nil
    /// when the file's model has no feasible point. Small models only.
    static func optimum(ofModelFile text: String, format: ModelFileFormat) throws -> Double? {
        guard let lp = glp_create_prob() else { throw ModelFileError(message: "glp_create_prob returned NULL") }
        defer { glp_delete_prob(lp) }
        glp_term_out(GLP_OFF)
        defer { glp_term_out(GLP_ON) }
        let temp = FileManager.default.temporaryDirectory
            .appendingPathComponent("peermatch-read-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).\(format.rawValue)")
        defer { try? FileManager.default.removeItem(at: temp) }
        try Data(text.utf8).write(to: temp)
        let rc = format == .lp ? glp_read_lp(lp, nil, temp.path) : glp_read_mps(lp, GLP_MPS_FILE, nil, temp.path)
        guard rc == 0 else { throw ModelFileError(message: "GLPK could not read the \(format.rawValue.uppercased()) file back (code \(rc))") }
        var parm = glp_iocp()
        glp_init_iocp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        parm.presolve = GLP_ON
        let solved = glp_intopt(lp, &parm)
        guard solved == 0 || solved == GLP_ENOPFS || solved == GLP_ENODFS else {
            throw ModelFileError(message: "glp_intopt failed on the read-back model (code \(solved))")
        }
        let status = glp_mip_status(lp)
        if status == GLP_OPT { return glp_mip_obj_val(lp) }
        if status == GLP_NOFEAS || solved == GLP_ENOPFS { return nil }
        throw ModelFileError(message: "the read-back model did not solve (status \(status))")
    }

    /// A name the LP and MPS formats accept: letters, digits and `_`; never empty, never starting
    /// with a digit, a period or `e`/`E` (read as an exponent by LP readers).
    static func safeName(_ name: String, prefix: String) -> String {
        var out = ""
        var lastUnderscore = false
        for ch in name.unicodeScalars {
            if ch.isASCII && (CharacterSet.alphanumerics.contains(ch) || ch == "_") {
                out.unicodeScalars.append(ch); lastUnderscore = ch == "_"
            } else if !lastUnderscore && !out.isEmpty {
                out.append("_"); lastUnderscore = true
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        if out.isEmpty || out.first!.isNumber || out.first == "e" || out.first == "E" { out = prefix + "_" + out }
        return String(out.prefix(250))
    }
}

public struct ModelFileError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
