// swift-tools-version: 6.0
import PackageDescription

// Benchmarks live in their own package so heavy baselines never reach users.
let package = Package(
    name: "AnchorDeskBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "AnchorDesk", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "anchordesk-bench",
            dependencies: [
                .product(name: "AnchorCore", package: "AnchorDesk"),
                .product(name: "AnchorStore", package: "AnchorDesk"),
                .product(name: "GPFSimulator", package: "AnchorDesk"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
