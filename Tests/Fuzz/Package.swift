// swift-tools-version: 6.0
// libFuzzer targets for PeerMatch's readers (cohort JSON, policy JSON/YAML, CSV, xlsx, previous
// results, timetable setups and column maps). Not part of the main package: they are built with
// `-sanitize=fuzzer` (libFuzzer's main, coverage instrumentation) by Tests/Fuzz/run, which also
// seeds each corpus from instances/examples. See the README, section "Fuzzing".
import PackageDescription

let package = Package(
    name: "PeerMatchFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "PeerMatch", path: "../..")],
    targets: [
        .executableTarget(
            name: "peermatch-fuzz",
            dependencies: [.product(name: "PeerMatch", package: "PeerMatch")],
            // libFuzzer supplies main(); this target only defines LLVMFuzzerTestOneInput.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
