// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "PeerMatch",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "PeerMatch", targets: ["PeerMatch"]),
        .library(name: "PeerMatchStore", targets: ["PeerMatchStore"]),
        .executable(name: "peermatch", targets: ["peermatch"]),
        .library(name: "PeerMatchWeb", targets: ["PeerMatchWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // The scheme workspace's SQLite store. 7.10.0 disables WAL snapshots on Linux, so it links
        // Debian's libsqlite3 (libsqlite3-dev).
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit", exact: "4.7.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // .xlsx workbooks are zip files; their XML parts are read by Foundation's XMLParser.
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // MARK: - C libraries

        // GLPK through Debian's libglpk-dev. Only Sources/PeerMatch/Solvers/GLPK imports it.
        .systemLibrary(
            name: "CGLPK",
            path: "Sources/CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),

        // LEMON's minimum-cost-flow algorithms through Debian's liblemon-dev (C++ templates, header
        // only), behind a small C shim. Only Sources/PeerMatch/Solvers/Lemon imports it.
        .target(
            name: "CLemon",
            path: "Sources/CLemon"
        ),

        // MARK: - Library: domain, rules, model, solvers, explanations, input/output

        .target(
            name: "PeerMatch",
            dependencies: [
                "CGLPK",
                "CLemon",
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Generate/DISTRIBUTIONS.md"]
        ),

        // MARK: - Scheme workspace: the scheme across terms in one SQLite file (imports PeerMatch; never the reverse)

        .target(
            name: "PeerMatchStore",
            dependencies: [
                "PeerMatch",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),

        // MARK: - Web page: the co-ordinator's local site over the scheme workspace (presentation only)

        .target(
            name: "PeerMatchWeb",
            dependencies: [
                "PeerMatch",
                "PeerMatchStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Templates"), .copy("Assets")]
        ),

        // MARK: - Command-line tool (thin: parse arguments, call the library, map to exit codes)

        .executableTarget(
            name: "peermatch",
            dependencies: [
                "PeerMatch",
                "PeerMatchStore",
                "PeerMatchWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Benchmarks (run by hand; never part of the test suite)

        .executableTarget(
            name: "peermatch-bench",
            dependencies: ["PeerMatch", "PeerMatchStore"],
            path: "Benchmarks/Sources/peermatch-bench"
        ),

        .executableTarget(
            name: "peermatch-scheme-bench",
            dependencies: ["PeerMatch", "PeerMatchStore"],
            path: "Benchmarks/Sources/peermatch-scheme-bench"
        ),

        // MARK: - Tests

        .testTarget(
            name: "PeerMatchTests",
            dependencies: ["PeerMatch"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PeerMatchStoreTests",
            dependencies: ["PeerMatchStore", "PeerMatch", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PeerMatchWebTests",
            dependencies: [
                "PeerMatchWeb",
                "PeerMatchStore",
                "PeerMatch",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                // TableWriterTests renders the old row sections with the library itself.
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
    ],
    cxxLanguageStandard: .cxx14
)
