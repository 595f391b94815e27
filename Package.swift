// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "AnchorDesk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "anchordesk", targets: ["anchordesk"]),
        .library(name: "AnchorCore", targets: ["AnchorCore"]),
        .library(name: "AnchorStore", targets: ["AnchorStore"]),
        .library(name: "AnchorService", targets: ["AnchorService"]),
        .library(name: "GPFSimulator", targets: ["GPFSimulator"]),
        .library(name: "DCCWire", targets: ["DCCWire"]),
        .library(name: "GBCS", targets: ["GBCS"]),
        .library(name: "SMKI", targets: ["SMKI"]),
        .library(name: "DUIS", targets: ["DUIS"]),
        .library(name: "DUISServer", targets: ["DUISServer"]),
        .library(name: "AnchorPostgres", targets: ["AnchorPostgres"]),
        .library(name: "OperatorClient", targets: ["OperatorClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
    ],
    targets: [
        .target(name: "AnchorCore"),
        .target(name: "GBCS", dependencies: ["AnchorCore", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "SMKI",
            dependencies: [
                "AnchorCore", "GBCS", "CAnchorPKCS11",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(name: "DCCWire", dependencies: ["AnchorCore", "GBCS", "SMKI", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "GPFSimulator", dependencies: ["AnchorCore", "GBCS", "SMKI", "DCCWire", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "CAnchorCRC"),
        // PKCS#11 through the system's header (p11-kit's); the token's module is loaded at run time.
        .systemLibrary(name: "CP11Kit", pkgConfig: "p11-kit-1", providers: [.apt(["libp11-kit-dev"])]),
        .target(name: "CAnchorPKCS11", dependencies: ["CP11Kit"], linkerSettings: [.linkedLibrary("dl")]),
        .target(
            name: "AnchorStore",
            dependencies: ["AnchorCore", "CAnchorCRC", "GBCS", "SMKI", .product(name: "Crypto", package: "swift-crypto")],
            plugins: ["EmbedDemoData"]
        ),
        .target(name: "AnchorService", dependencies: ["AnchorCore", "AnchorStore", "GBCS", "SMKI", "DCCWire", "GPFSimulator"]),
        .executableTarget(name: "embed-demo-data"),
        .plugin(name: "EmbedDemoData", capability: .buildTool(), dependencies: ["embed-demo-data"]),
        .target(name: "AnchorTUI", dependencies: ["AnchorCore", "DCCWire", "GPFSimulator", "AnchorStore", "AnchorService", "SMKI"]),
        .target(name: "CNCurses", linkerSettings: [.linkedLibrary("ncursesw")]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(
            name: "DUIS",
            dependencies: [
                "AnchorCore", "GBCS", "SMKI", "CLibXML2",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "DUISServer",
            dependencies: [
                "AnchorCore", "AnchorStore", "AnchorService", "DCCWire", "GPFSimulator", "GBCS", "SMKI", "DUIS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .target(
            name: "OperatorClient",
            dependencies: [
                "AnchorCore", "DUIS",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "AnchorPostgres",
            dependencies: ["AnchorCore", "AnchorStore", "AnchorService", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "TerminalBackend", dependencies: ["AnchorTUI", "CNCurses"]),
        .executableTarget(
            name: "anchordesk",
            dependencies: [
                "AnchorCore", "GPFSimulator", "DCCWire", "AnchorStore", "AnchorService", "AnchorTUI", "TerminalBackend", "GBCS", "SMKI", "DUIS", "DUISServer", "AnchorPostgres", "OperatorClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "AnchorCoreTests",
            dependencies: [
                "AnchorCore", "GPFSimulator", "DCCWire", "SMKI", .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "DCCWireTests", dependencies: ["AnchorCore", "DCCWire", "GPFSimulator", "GBCS", "SMKI"]),
        .testTarget(name: "GPFSimulatorTests", dependencies: ["AnchorCore", "GPFSimulator", "DCCWire", "GBCS", "SMKI"]),
        .testTarget(
            name: "GBCSTests",
            dependencies: [
                "AnchorCore", "GBCS", "SMKI", "GPFSimulator", "DCCWire",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "AnchorStoreTests",
            dependencies: [
                "AnchorCore", "AnchorStore", "AnchorService", "GPFSimulator", "DCCWire", "SMKI", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "AnchorServiceTests",
            dependencies: ["AnchorCore", "AnchorStore", "AnchorService", "GPFSimulator", "DCCWire", "GBCS", "SMKI"]
        ),
        .testTarget(
            name: "AnchorTUITests", dependencies: ["AnchorCore", "AnchorTUI", "AnchorStore", "AnchorService", "GPFSimulator", "DCCWire", "SMKI"], exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "DUISTests",
            dependencies: [
                "AnchorCore", "DUIS", "SMKI", "GBCS", "GPFSimulator", "DCCWire",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "X509", package: "swift-certificates"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "DUISServerTests",
            dependencies: [
                "AnchorCore", "AnchorStore", "AnchorService", "DUIS", "DUISServer", "GBCS", "GPFSimulator", "DCCWire", "SMKI", "OperatorClient",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "anchordesk", "AnchorCore", "AnchorStore", "AnchorService", "AnchorPostgres", "AnchorTUI", "GPFSimulator", "DCCWire", "SMKI", "GBCS", "DUISServer",
                "OperatorClient", .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Scripts"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
