import Foundation
import Testing
@testable import PeerMatch

/// `peermatch solve RESIDENTS --programs PROGRAMS`: the CSI2120 files read by the command itself
/// (issue 14: the stable matching end to end, beside a C++ deferred acceptance on the same files),
/// and every bad file a located error, exit 1, nothing written.
@Suite(.serialized) struct CSI2120CLITests {
    let cli = CLITests()
    static let csi = Repo.sharedBenchmarks + "/hr-csi2120"

    @Test func solvesThePublishedInstanceAsTheReferenceDoes() throws {
        let dir = try cli.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("result.csv").path
        let r = try cli.run(["solve", "\(Self.csi)/residents4000.csv", "--programs", "\(Self.csi)/programs4000.csv",
                             "--format", "csv", "--out", out])
        #expect(r.code == 0, "\(r.stderr)")
        let again = try cli.run(["solve", "\(Self.csi)/residents4000.csv", "--programs", "\(Self.csi)/programs4000.csv", "--format", "csv"])
        #expect(try String(contentsOfFile: out, encoding: .utf8) == again.stdout, "same input, same bytes")
        let expected = try HospitalResidentsTests.reference("\(Self.csi)/ref_resident_optimal_4000.csv")
        let json = try cli.run(["solve", "\(Self.csi)/residents4000.csv", "--programs", "\(Self.csi)/programs4000.csv"])
        #expect(json.code == 0)
        let root = try JSONValue.parseJSON(Data(json.stdout.utf8), file: "out")
        #expect(root["method"] == .string("stable"))
        guard case .array(let pairs)? = root["pairs"] else { Issue.record("no pairs"); return }
        var got: [String: String] = [:]
        for p in pairs { if case .string(let e)? = p["mentee"], case .string(let m)? = p["mentor"] { got[e] = m } }
        #expect(got.count == 3666)
        let differences = expected.filter { !$0.value.isEmpty && got[$0.key] != $0.value }
        #expect(differences.isEmpty, "\(differences.count) residents differ")
        #expect(expected.filter { $0.value.isEmpty && got[$0.key] != nil }.isEmpty)
    }

    @Test(arguments: [
        ("id,firstname,lastname,rol\n1,A,B,\"[P]\"\n1,C,D,\"[P]\"\n", "id,name,numberOfPos,rol\nP,Prog,1,\"[1]\"\n",
         "residents.csv: line 3, column 1 (id): id \"1\" is already used on line 2"),
        ("id,firstname,lastname,rol\n1,A,B,P\n", "id,name,numberOfPos,rol\nP,Prog,1,\"[1]\"\n",
         "residents.csv: line 2, column 4 (rol): a rank-order list is written in brackets"),
        ("id,firstname,lastname,rol\n1,A,B,\"[P]\"\n", "id,name,numberOfPos,rol\nP,Prog,two,\"[1]\"\n",
         "programs.csv: line 2, column 3 (numberOfPos): must be a whole number of places"),
        ("id,firstname,lastname,rol\n1,A,B,\"[P]\"\n", "id,name,rol\nP,Prog,\"[1]\"\n",
         "programs.csv: line 1: no \"numberOfPos\" column"),
        ("id,firstname,lastname,rol\n,A,B,\"[P]\"\n", "id,name,numberOfPos,rol\nP,Prog,1,\"[1]\"\n",
         "residents.csv: line 2, column 1 (id): empty id"),
    ])
    func badFilesAreLocatedErrors(residents: String, programs: String, message: String) throws {
        let dir = try cli.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try residents.write(to: dir.appendingPathComponent("residents.csv"), atomically: true, encoding: .utf8)
        try programs.write(to: dir.appendingPathComponent("programs.csv"), atomically: true, encoding: .utf8)
        let r = try cli.run(["solve", "residents.csv", "--programs", "programs.csv", "--out", "out.json"], in: dir)
        #expect(r.code == 1)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["programs.csv", "residents.csv"])
    }

    /// An id the other file does not hold is no partner (the classical model), not an error.
    @Test func unknownListedIdsAreNoPartners() throws {
        let dir = try cli.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "id,firstname,lastname,rol\n1,A,B,\"[X,P]\"\n2,C,D,\"[P]\"\n".write(to: dir.appendingPathComponent("r.csv"), atomically: true, encoding: .utf8)
        try "id,name,numberOfPos,rol\nP,Prog,1,\"[9,2,1]\"\n".write(to: dir.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
        let r = try cli.run(["solve", "r.csv", "--programs", "p.csv"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let root = try JSONValue.parseJSON(Data(r.stdout.utf8), file: "out")
        guard case .array(let pairs)? = root["pairs"] else { Issue.record("no pairs: \(r.stdout)"); return }
        #expect(pairs.count == 1)
        #expect(pairs.first?["mentee"] == .string("2"), "programme P prefers 2 to 1")
    }
}
