import Foundation
import PeerMatch

/// `peermatch-bench read [--repeat N] [--policy P] FILE...`: how fast cohorts are read. For each
/// file: bytes, the JSON parse alone (`JSONValue.parseJSON`), parse and validation together
/// (`CohortReader.parse`, the whole of reading a cohort), the best of N runs each, as seconds and
/// MB/s (10^6 bytes), and the peak memory. Reading the bytes from disk is not timed. Times are
/// the process's CPU seconds (`CLOCK_PROCESS_CPUTIME_ID`), which a loaded shared machine
/// disturbs far less than wall time; Python's side uses `time.process_time()` to match.
/// `Benchmarks/read_speed.py` runs it beside Python's json module on the same files.
func readBenchmark(_ arguments: [String]) throws {
    var repeats = 5
    var policy = Policy.default
    var files: [String] = []
    var args = arguments[...]
    while let a = args.popFirst() {
        if a == "--repeat", let n = args.popFirst().flatMap(Int.init) { repeats = max(1, n) }
        else if a == "--policy", let p = args.popFirst() { policy = try PolicyReader.resolve(p) }
        else { files.append(a) }
    }
    print("| file | MB | people | scores | parse s | parse MB/s | read (parse + validate) s | read MB/s | validate s | peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for file in files {
        let data = try InputFile.read(file, limit: Int.max / 2)
        var parse = Double.infinity, read = Double.infinity
        var cohort: Cohort?
        var errors = 0
        for _ in 0..<repeats {
            parse = min(parse, try cpuSeconds { _ = try JSONValue.parseJSON(data, file: file, limits: ReadLimits(maxInputBytes: Int.max / 2)) })
            read = min(read, cpuSeconds {
                let (c, d) = (try? CohortReader.parse(data, file: file, policy: policy)) ?? (Cohort(mentors: [], mentees: []), [])
                cohort = c
                errors = d.filter { $0.severity == .error }.count
            })
        }
        let mb = Double(data.count) / 1e6
        let people = (cohort?.mentors.count ?? 0) + (cohort?.mentees.count ?? 0)
        print("| \(URL(fileURLWithPath: file).lastPathComponent)\(errors > 0 ? " (\(errors) errors)" : "") | \(String(format: "%.1f", mb)) | \(people) | \(cohort?.scores.count ?? 0) | "
              + String(format: "%.3f | %.0f | %.3f | %.0f | %.3f | %.0f |", parse, mb / parse, read, mb / read, read - parse, peakMemoryMiB()))
    }
}

/// CPU seconds the process spends in `body`.
func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
    func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
    let start = now()
    try body()
    return now() - start
}
