import Foundation
import PeerMatch

/// Shows a match's ``MatchProgress`` on stderr: on a terminal, one line redrawn in place (with
/// the seconds ticking even while a stage runs) and erased at the end; with `--progress` and
/// stderr not a terminal (a log file, CI), one line per stage. Nothing goes to stdout, so
/// results stay byte-identical.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let tty: Bool
    private let start = Date()
    private var stage: MatchProgress? = nil
    private var drawn = false
    private var timer: DispatchSourceTimer? = nil

    /// Nil when there is nothing to show: stderr is not a terminal and `--progress` was not given.
    init?(forced: Bool) {
        tty = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        guard tty || forced else { return nil }
        if tty {
            let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "peermatch.progress"))
            t.schedule(deadline: .now() + 1, repeating: 1)
            t.setEventHandler { [weak self] in self?.tick() }
            t.resume()
            timer = t
        }
    }

    /// The closure for ``Matcher/progress``.
    var handler: @Sendable (MatchProgress) -> Void { { [self] p in update(p) } }

    func update(_ p: MatchProgress) {
        lock.lock(); defer { lock.unlock() }
        let changed = stage?.stage != p.stage
        stage = p
        if tty { draw() } else if changed { write(line(p) + "\n") }
    }

    private func tick() {
        lock.lock(); defer { lock.unlock() }
        if stage != nil { draw() }
    }

    /// The stage with the seconds since the command started (the core's count restarts per match).
    private func line(_ p: MatchProgress) -> String {
        var q = p
        q.elapsed = Date().timeIntervalSince(start)
        return q.description
    }

    private func draw() {
        guard let p = stage else { return }
        var text = line(p)
        if text.count > 120 { text = String(text.prefix(119)) + "…" }
        write("\r\u{1B}[K" + text)
        drawn = true
    }

    /// Erases the line (terminal) so that what follows starts clean.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        timer?.cancel(); timer = nil
        if tty && drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
