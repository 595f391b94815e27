// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so heavy baselines (GRDB, SQLite) never reach users.
let package = Package(
    name: "AnchorDeskBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "AnchorDesk", path: ".."),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
    ],
    targets: [
        .executableTarget(
            name: "anchordesk-bench",
            dependencies: [
                .product(name: "AnchorCore", package: "AnchorDesk"),
                .product(name: "AnchorStore", package: "AnchorDesk"),
                .product(name: "AnchorService", package: "AnchorDesk"),
                .product(name: "AnchorPostgres", package: "AnchorDesk"),
                .product(name: "GPFSimulator", package: "AnchorDesk"),
                .product(name: "GBCS", package: "AnchorDesk"),
                .product(name: "SMKI", package: "AnchorDesk"),
                .product(name: "DUIS", package: "AnchorDesk"),
                .product(name: "DUISServer", package: "AnchorDesk"),
                .product(name: "OperatorClient", package: "AnchorDesk"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
