import Foundation
import PeerMatch

/// One libFuzzer entry point for every reader; `PEERMATCH_FUZZ_TARGET` picks the reader
/// (cohort, policy, csv, xlsx, previous, setup, columns). Each input must end in a value or an
/// `InputError`: anything else (a trap, a crash, an allocation past -rss_limit_mb, a hang past
/// -timeout) is a finding, and becomes a regression input in
/// Tests/PeerMatchTests/Fixtures/fuzz/<target>/ (replayed by FuzzRegressionTests).
extension FuzzTarget {
    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["PEERMATCH_FUZZ_TARGET"] ?? ""
        guard let t = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("set PEERMATCH_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return t
    }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    FuzzRun.one(FuzzTarget.current, data)
    return 0
}

