// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so heavy baselines (GRDB, SQLite) never reach users.
let package = Package(
    name: "AnchorDeskBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "AnchorDesk", path: ".."),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "anchordesk-bench",
            dependencies: [
                .product(name: "AnchorCore", package: "AnchorDesk"),
                .product(name: "AnchorStore", package: "AnchorDesk"),
                .product(name: "GPFSimulator", package: "AnchorDesk"),
                .product(name: "GBCS", package: "AnchorDesk"),
                .product(name: "SMKI", package: "AnchorDesk"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
