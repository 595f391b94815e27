// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "AnchorDesk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "anchordesk", targets: ["anchordesk"]),
        .library(name: "AnchorCore", targets: ["AnchorCore"]),
        .library(name: "AnchorStore", targets: ["AnchorStore"]),
        .library(name: "GPFSimulator", targets: ["GPFSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .target(name: "AnchorCore"),
        .target(name: "GPFSimulator", dependencies: ["AnchorCore"]),
        .target(name: "CAnchorCRC"),
        .target(
            name: "AnchorStore",
            dependencies: ["AnchorCore", "CAnchorCRC", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "AnchorTUI", dependencies: ["AnchorCore", "GPFSimulator", "AnchorStore"]),
        .target(name: "CNCurses", linkerSettings: [.linkedLibrary("ncursesw")]),
        .target(name: "TerminalBackend", dependencies: ["AnchorTUI", "CNCurses"]),
        .executableTarget(
            name: "anchordesk",
            dependencies: [
                "AnchorCore", "GPFSimulator", "AnchorStore", "AnchorTUI", "TerminalBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "AnchorCoreTests",
            dependencies: ["AnchorCore", "GPFSimulator", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "GPFSimulatorTests", dependencies: ["AnchorCore", "GPFSimulator"]),
        .testTarget(
            name: "AnchorStoreTests",
            dependencies: ["AnchorCore", "AnchorStore", "GPFSimulator", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "AnchorTUITests", dependencies: ["AnchorCore", "AnchorTUI", "AnchorStore", "GPFSimulator"], exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["anchordesk", "AnchorCore", "AnchorStore", "GPFSimulator", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
