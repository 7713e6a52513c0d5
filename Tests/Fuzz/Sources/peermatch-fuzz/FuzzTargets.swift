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

/// libFuzzer's driver, for a program that has its own main.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main` (so that tests can import it);
/// with `-parse-as-library` there is none, so this is it: hand over to libFuzzer.
@_cdecl("peermatch_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    _ = FuzzTarget.current   // fail early on a missing PEERMATCH_FUZZ_TARGET
    return LLVMFuzzerRunDriver(&count, &vector) { bytes, size in fuzzOneInput(bytes, size) }
}

