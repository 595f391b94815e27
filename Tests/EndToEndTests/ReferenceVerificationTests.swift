import Foundation
import Testing

/// `gbcs decode --verify --keys <the whole RTDS keystore>` on DCC's CS02b, CS02d and CS02g
/// reference messages (74 of RTDS 4.5.0's 1,275, `GBCSTests/Fixtures`): every command,
/// pre-command, response and alert verifies what it carries; AnchorDesk decodes the payloads of
/// 65 of them (not the 9 load-controller-by-load-controller commands, pre-commands and responses,
/// code 0x0125), whose MACs verify 21 of 21; and the keystore loads without a warning. (GBCSTests' RTDS sweep checks all
/// 1,275 with the same code in-process.)
@Suite("End to end: DCC's reference messages verify with DCC's keystore")
struct ReferenceVerificationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GBCSTests/Fixtures")

    /// The decoded families' messages: name → hex.
    static func messages() throws -> [(name: String, hex: String)] {
        let root = fixtures.appendingPathComponent("rtds").path
        return try (FileManager.default.subpaths(atPath: root) ?? []).sorted().compactMap { path in
            let name = (path as NSString).lastPathComponent
            guard name.hasSuffix("_GBCS.HEX"), ["CS02b", "CS02d", "CS02g"].contains(where: name.hasPrefix) else { return nil }
            return (name, try String(contentsOfFile: root + "/" + path, encoding: .utf8).filter { !$0.isWhitespace })
        }
    }

    /// DCC's keystore copied as a User keeps one, its private keys readable by their owner alone
    /// (git keeps no such mode, and a key others may read is left out); the caller removes it.
    static func privateKeystore() throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-keystore-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent("keystore").path, toPath: copy)
        for name in try FileManager.default.contentsOfDirectory(atPath: copy) where name.hasSuffix(".key") {
            try #require(chmod(copy + "/" + name, 0o600) == 0)
        }
        return copy
    }

    @Test func everyReferenceMessageAnchorDeskDecodesVerifiesAnd21Of21MACsAreValid() throws {
        let keystore = try Self.privateKeystore()
        defer { try? FileManager.default.removeItem(atPath: keystore) }
        var macs: [String: Int] = [:]
        var signatures: [String: Int] = [:]
        var decoded = 0
        let messages = try Self.messages()
        #expect(messages.count == 74)
        for (name, hex) in messages {
            let result = try AnchorDeskProcess.run(["gbcs", "decode", hex, "--verify", "--keys", keystore, "--json"])
            #expect(result.exitCode == 0, "\(name): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(name): \(result.stderr)")
            let json = try result.json()
            let verification = try #require(json["verification"] as? [String: Any], "\(name)")
            let mac = verification["mac"] as? String ?? "?", signature = verification["signature"] as? String ?? "?"
            signatures[signature, default: 0] += 1
            if (json["payload"] as? [String: Any])?["type"] as? String != "not decoded" {
                decoded += 1
                macs[mac, default: 0] += 1
            } else {
                #expect(name.hasPrefix("CS02gLoadControllerByLoadController_") && mac == (hex.hasPrefix("DD") ? "valid" : "absent"), "\(name)")
            }
            if mac == "valid" { #expect((verification["macKeys"] as? [String])?.count == 2, "\(name): the MAC names its keys") }
            if signature == "valid" { #expect((verification["signatureKey"] as? String)?.hasSuffix("-ds.pem") == true, "\(name)") }
        }
        #expect(decoded == 65)
        #expect(macs == ["valid": 21, "absent": 44])
        #expect(signatures["invalid"] == nil && signatures["unchecked"] == nil, "\(signatures)")
    }

    /// A keystore with files that cannot be read still loads the rest, and says which it left out.
    @Test func anUnreadableKeystoreFileIsAWarningNamingItAndTheRestStillVerify() throws {
        let keystore = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-keystore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: keystore, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: keystore) }
        let source = Self.fixtures.appendingPathComponent("keystore").path
        for name in ["90b3d51f30020000-ds.pem", "90b3d51f30000002-ka.key", "90b3d51f30000002-ka.pem", "00db1234567890a0-ka.pem"] {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: keystore.path + "/" + name)
        }
        #expect(chmod(keystore.path + "/90b3d51f30000002-ka.key", 0o600) == 0, "a private key only its owner may read")
        try Data("not a certificate".utf8).write(to: keystore.appendingPathComponent("0000000000000001-ds.pem"))
        try Data([0x30, 0x82, 0xFF, 0xFF]).write(to: keystore.appendingPathComponent("0000000000000002-ka.pem"))
        try FileManager.default.createDirectory(at: keystore.appendingPathComponent("0000000000000003-ka.key"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: keystore.appendingPathComponent("0000000000000004-ds.pem").path, withDestinationPath: "/dev/zero")
        try Data("ignored: not a name DCC's layout gives".utf8).write(to: keystore.appendingPathComponent("README.txt"))

        let hex = try #require(try Self.messages().first { $0.name == "CS02bNOByNO_6.15.1_SUCCESS_COMMAND_GBCS.HEX" }?.hex)
        let result = try AnchorDeskProcess.run(["gbcs", "decode", hex, "--verify", "--keys", keystore.path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("signature valid (90b3d51f30020000-ds.pem), MAC valid"), "\(result.stdout)")
        let warnings = result.stderr.split(separator: "\n")
        #expect(warnings.count == 4 && warnings.allSatisfy { $0.hasPrefix("warning: ") }, "\(result.stderr)")
        for name in ["0000000000000001-ds.pem", "0000000000000002-ka.pem", "0000000000000003-ka.key", "0000000000000004-ds.pem"] {
            #expect(warnings.contains { $0.hasPrefix("warning: \(name) left out: ") }, "\(name): \(result.stderr)")
        }
        #expect(!result.stderr.contains("README"))
    }
}
