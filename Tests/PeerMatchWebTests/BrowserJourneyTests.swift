import Foundation
import Testing

/// The six journeys in a real browser: Tests/Browser/web_journeys.py drives Debian's chromium
/// through chromium-driver with Selenium, as a mouse user, a keyboard-only user and with
/// JavaScript off, against `peermatch serve` on a scheme it builds from empty. Runs when
/// chromium and chromedriver are on PATH and PEERMATCH_TEST_PYTHON names a Python with
/// Tests/requirements.txt installed (`.ci/run` sets all three up). PEERMATCH_UI_SAMPLES=DIR keeps
/// a screenshot of every page and the A4 PDFs of the printable ones.
@Suite struct BrowserJourneyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let environment = ProcessInfo.processInfo.environment

    static func onPath(_ names: [String]) -> String? {
        (environment["PATH"] ?? "").split(separator: ":").flatMap { dir in names.map { "\(dir)/\($0)" } }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let chromium = onPath(["chromium", "chromium-browser"])
    static let chromedriver = onPath(["chromedriver"])
    static let python: String? = {
        guard let p = environment["PEERMATCH_TEST_PYTHON"] else { return nil }
        return (try? run(p, ["-c", "import selenium"]).code) == 0 ? p : nil
    }()
    static var ready: Bool { chromium != nil && chromedriver != nil && python != nil }

    static func run(_ exe: String, _ args: [String], env: [String: String] = [:]) throws -> (code: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.currentDirectoryURL = root
        p.environment = environment.merging(env) { _, b in b }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Under CI (`.ci/run` sets PEERMATCH_REQUIRE_BROWSER) a missing browser, driver or Selenium
    /// is a failure, so the journeys can never be skipped there without anyone noticing.
    @Test(.enabled(if: environment["PEERMATCH_REQUIRE_BROWSER"] != nil))
    func theBrowserIsThereUnderCI() {
        #expect(Self.chromium != nil, "chromium is not on PATH (apt-get install -y chromium)")
        #expect(Self.chromedriver != nil, "chromedriver is not on PATH (apt-get install -y chromium-driver)")
        #expect(Self.python != nil, "PEERMATCH_TEST_PYTHON does not name a Python with selenium (pip install -r Tests/requirements.txt)")
    }

    @Test(.enabled(if: ready, "needs chromium and chromedriver on PATH and PEERMATCH_TEST_PYTHON with selenium (run .ci/run)"))
    func everyJourneyClickedTypedAndByKeyboardAndWithoutScript() throws {
        let binary = Self.root.appendingPathComponent(".build/debug/peermatch").path
        let built = FileManager.default.fileExists(atPath: binary) ? binary
            : Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("peermatch").path
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pm-ui-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: work) }
        var args = ["Tests/Browser/web_journeys.py", "--peermatch", built, "--examples", "instances/examples/scheme", "--work", work]
        if let samples = Self.environment["PEERMATCH_UI_SAMPLES"] { args += ["--samples", samples] }
        let (code, output) = try Self.run(Self.python!, args)
        #expect(code == 0, "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
        // Every journey ran in every mode.
        for mode in ["mouse", "keyboard", "nojs"] {
            for journey in ["new term", "match", "review", "timetable", "during the term", "report"] {
                #expect(output.range(of: "ok   \(mode) +\(journey) ", options: .regularExpression) != nil, "\(mode): \(journey)\n\(output)")
            }
        }
    }
}
