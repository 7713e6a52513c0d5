import Foundation

/// What the command-line tool does on SIGINT (Ctrl-C), SIGTERM and SIGHUP, and the flag the
/// solvers read to stop early.
///
/// Outputs are only ever written by an ``OutputPlan`` commit, after everything is rendered, so a
/// signal during reading or solving has nothing to undo; a signal during a commit undoes what the
/// commit has done so far (``OutputJournal``). Either way the process then ends as killed by that
/// signal (exit status 128 + N in a shell), having written nothing.
///
/// With ``Mode/writeBest`` the first signal instead sets ``isRequested``: the solvers' time checks
/// read it as "time is up", so the run finishes the way a time limit finishes it (the best
/// matching found so far, or the greedy one) and writes that; a second signal stops at once.
///
/// Signals are taken on a dispatch queue (not in a signal handler), so the undo runs as ordinary
/// code under the journal's lock while the main thread is blocked in a solver or a write.
public enum Interruption {
    public enum Mode: String, Sendable, CaseIterable {
        /// Stop at once and write nothing (the default).
        case stop
        /// Stop the solve at its next check and write the best result found so far.
        case writeBest = "write-best"
    }

    /// Thrown by an output step that starts after a signal began undoing the outputs.
    struct Stopped: Error {}

    private struct State {
        var mode: Mode = .stop
        var requested: Int32 = 0       // the signal that asked for a stop, 0 when none
        var sources: [any DispatchSourceSignal] = []
        var installed = false
    }
    private static let state = LockedValue(State())

    /// True once a signal asked the run to stop early (mode ``Mode/writeBest``). Solvers read it
    /// beside their deadline; it is cheap enough to read every few thousand steps.
    public static var isRequested: Bool { state.withLock { $0.requested != 0 } }

    /// The signal's name when one asked for an early stop ("SIGINT"), for notes in the output.
    public static var requestedBy: String? {
        let s = state.withLock { $0.requested }
        return s == 0 ? nil : name(s)
    }

    /// Takes over SIGINT, SIGTERM and SIGHUP for the rest of the process; ignores SIGPIPE and
    /// SIGXFSZ, so a closed pipe or a file-size limit becomes a write error (and a rollback)
    /// instead of killing the process half way through a set of outputs.
    public static func install(mode: Mode = .stop) {
        state.withLock { s in
            s.mode = mode
            guard !s.installed else { return }
            s.installed = true
            signal(SIGPIPE, SIG_IGN)
            signal(SIGXFSZ, SIG_IGN)
            let queue = DispatchQueue(label: "peermatch.signals")
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
                source.setEventHandler { received(sig) }
                source.resume()
                s.sources.append(source)
            }
        }
    }

    private static func received(_ sig: Int32) {
        let first = state.withLock { s -> Bool in
            guard s.mode == .writeBest && s.requested == 0 else { return false }
            s.requested = sig
            return true
        }
        if first {
            say("peermatch: \(name(sig)) received: stopping the solve and writing the best result found so far (send it again to stop without writing)")
            return
        }
        let undone = OutputJournal.abandonAll()
        say("peermatch: \(name(sig)) received: stopped; " + (undone ? "the outputs begun were removed, nothing was written" : "nothing was written"))
        // End as killed by the signal (the shell's 130 for SIGINT), as a well-behaved tool does:
        // the default action, unblocked in this thread (the dispatch source may keep it blocked).
        signal(sig, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, sig)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(sig)
        _exit(128 + sig)
    }

    static func name(_ sig: Int32) -> String {
        switch sig {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(sig)"
        }
    }

    private static func say(_ text: String) {
        let line = Array((text + "\n").utf8)
        line.withUnsafeBytes { _ = systemWrite(2, $0.baseAddress, $0.count) }
    }

    /// For tests: clears a stop request (a process that handled one and goes on).
    static func reset() { state.withLock { $0.requested = 0 } }
}
