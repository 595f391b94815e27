import Foundation
import Testing

/// Real credentials on the wire, through the executable: signed commands, `--show-wire`,
/// `gbcs decode`, `cert show` and `cert import`.
@Suite("End to end: the GBCS wire and SMKI certificates")
struct WireTests {
    let device = "00-DB-12-01-73-F7-8B-92"

    @Test func theStoryRunsOnSignedCommandsAndShowsTheWire() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb", "--show-wire", "--json"])
        #expect(handBack.exitCode == 0, "\(handBack.stderr)")
        let json = try handBack.json()
        let wire = try #require(json["wire"] as? [String: Any])
        let command = try #require(wire["command"] as? String)
        let response = try #require(wire["response"] as? String)
        #expect(command.hasPrefix("DD0000000000008"))
        #expect(response.hasPrefix("DF0902"))

        let decoded = try AnchorDeskProcess.run(["gbcs", "decode", command, "--json"])
        #expect(decoded.exitCode == 0, "\(decoded.stderr)")
        let header = try decoded.json()
        #expect(header["cra"] as? String == "command")
        #expect(header["originatorCounter"] as? String == json["originatorCounter"] as? String)
        #expect(header["originator"] as? String == "90-B3-D5-1F-30-00-00-10")
        #expect(header["recipient"] as? String == device)
        #expect(header["messageCode"] as? String == "0x0103")
        #expect(header["signed"] as? Bool == true)
        let payload = try #require(header["payload"] as? [String: Any])
        #expect(payload["replacementMode"] as? Int == 3)
        #expect((payload["replacements"] as? [Any])?.count == 2)

        let answer = try AnchorDeskProcess.run(["gbcs", "decode", response, "--json"]).json()
        #expect(answer["cra"] as? String == "response")
        let outcome = try #require((answer["payload"] as? [String: Any])?["executionOutcome"] as? [String: Any])
        let outcomes = try #require(outcome["replacementOutcomes"] as? [[String: Any]])
        #expect(outcomes.map { $0["statusCode"] as? Int } == [0, 0])

        let human = try store.run(["request", "6.21", "--as", "heron-energy", "--device", device, "--gno", "cadent", "--show-wire"])
        #expect(human.exitCode == 0, "\(human.stderr)")
        #expect(human.stdout.contains("originator counter"))
        #expect(human.stdout.contains("replacing subject key ID"))
    }

    @Test func aCommandSignedWithTheWrongKeyIsRefusedByTheDevice() throws {
        let store = try DemoStore()
        defer { store.remove() }
        // National Grid's DS key is swapped for Cadent's: the device verifies against National Grid's certificate.
        let keys = store.path + "/demo-user-keys/"
        try FileManager.default.removeItem(atPath: keys + "90b3d51f30000010-ds.key")
        try FileManager.default.copyItem(atPath: keys + "90b3d51f30000011-ds.key", toPath: keys + "90b3d51f30000010-ds.key")
        let result = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb", "--json"])
        #expect(result.exitCode == 1)
        let json = try result.json()
        #expect(json["reason"] as? String == "not-authorised")
        #expect((json["detail"] as? String)?.contains("signature") == true)
        let shown = try store.run(["device", "show", device, "--json"]).json()
        #expect((shown["networkOperatorCell"] as? [String: Any])?["owner"] as? String == "national-grid")
    }

    /// `gbcs decode --verify`: AnchorDesk's own exchange verifies with the store's keys; the
    /// reference command with the fixture keystore; a flipped byte or missing keys give exit 1.
    @Test func decodeVerifyChecksSignaturesAndMACs() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb", "--show-wire", "--json"])
        let wire = try #require(try handBack.json()["wire"] as? [String: Any])
        for hex in [try #require(wire["command"] as? String), try #require(wire["response"] as? String)] {
            let verified = try AnchorDeskProcess.run(["gbcs", "decode", hex, "--verify", "--store", store.path, "--json"])
            #expect(verified.exitCode == 0, "\(verified.stderr)")
            let verdict = try #require(try verified.json()["verification"] as? [String: Any])
            #expect(verdict["signature"] as? String == "valid")
            #expect(verdict["mac"] as? String == (hex.hasPrefix("DD") ? "valid" : "absent"))
            #expect(verdict["signatureKey"] as? String == (hex.hasPrefix("DD") ? "the store's certificate national-grid-ds" : "the store's simulated device keys"))
            #expect(verdict["macKeys"] as? [String] == (hex.hasPrefix("DD") ? ["the store's key dcc-acb-ka", "the store's simulated device keys"] : []))
        }

        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GBCSTests/Fixtures")
        let reference = try String(contentsOf: fixtures.appendingPathComponent("rtds/6.15.1_CS02bNOByNO/CS02bNOByNO_6.15.1_SUCCESS_COMMAND_GBCS.HEX"), encoding: .utf8)
            .filter { !$0.isWhitespace }
        let keys = try ReferenceVerificationTests.privateKeystore()
        defer { try? FileManager.default.removeItem(atPath: keys) }
        let good = try AnchorDeskProcess.run(["gbcs", "decode", reference, "--verify", "--keys", keys])
        #expect(good.exitCode == 0, "\(good.stderr)")
        #expect(good.stdout.contains("verification: signature valid (90b3d51f30020000-ds.pem), MAC valid (90b3d51f30000002-ka.key with 00db1234567890a0-ka.pem)"), "\(good.stdout)")
        #expect(good.stderr.isEmpty, "the whole RTDS keystore reads without a warning: \(good.stderr)")

        var flipped = Array(reference)
        flipped[400] = flipped[400] == "0" ? "1" : "0"
        let bad = try AnchorDeskProcess.run(["gbcs", "decode", String(flipped), "--verify", "--keys", keys, "--json"])
        #expect(bad.exitCode == 1)
        let badVerdict = try #require(try bad.json()["verification"] as? [String: Any])
        #expect(badVerdict["signature"] as? String == "invalid" && badVerdict["mac"] as? String == "invalid")
        #expect(bad.stderr.hasPrefix("error: ") && bad.stderr.contains("invalid"))

        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-no-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let unchecked = try AnchorDeskProcess.run(["gbcs", "decode", reference, "--verify", "--keys", empty.path])
        #expect(unchecked.exitCode == 1)
        #expect(unchecked.stdout.contains("verification: signature unchecked, MAC unchecked"))
        // A store knows only its own parties and devices: the reference parties are unchecked, not invalid.
        let otherParties = try AnchorDeskProcess.run(["gbcs", "decode", reference, "--verify", "--store", store.path])
        #expect(otherParties.exitCode == 1)
        #expect(otherParties.stdout.contains("verification: signature unchecked, MAC unchecked"), "\(otherParties.stdout)")
    }

    @Test func malformedAndTruncatedHexGiveOneClearError() throws {
        for (input, expected) in [("DF 09 0Z", "not hex"), ("DD00000000000044110000", "truncated"), ("DF0901", "truncated"), ("1234", "starts with DD")] {
            let result = try AnchorDeskProcess.run(["gbcs", "decode", input])
            #expect(result.exitCode == 2, "\(input)")
            #expect(result.stdout.isEmpty)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains(expected), "\(input): \(result.stderr)")
        }
        let json = try AnchorDeskProcess.run(["gbcs", "decode", "DF09", "--json"])
        #expect(json.exitCode == 2)
        #expect((try json.json()["error"] as? [String: Any])?["code"] as? String == "bad-gbcs")
    }

    @Test func certificatesAreShownWithSerialSubjectAndHashes() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let shown = try store.run(["cert", "show", "cadent-ds", "--json"])
        #expect(shown.exitCode == 0, "\(shown.stderr)")
        let json = try shown.json()
        #expect(json["keyUsage"] as? String == "DS")
        #expect((json["subject"] as? String)?.contains("OU=03") == true)
        #expect((json["sha256"] as? String)?.count == 64)
        #expect(json["privateKey"] == nil)
        let orgs = try store.run(["orgs", "--json"]).json()
        let cadent = try #require((orgs["orgs"] as? [[String: Any]])?.first { $0["id"] as? String == "cadent" })
        let certificate = try #require((cadent["certificates"] as? [[String: Any]])?.first)
        #expect((certificate["serial"] as? String)?.isEmpty == false)
        #expect((certificate["sha1"] as? String)?.count == 40)
        #expect(!(try String(contentsOfFile: store.path + "/snapshot.json", encoding: .utf8)).contains("PRIVATE KEY"))
        for key in ["/smki/keys/dcc-acb-ds.key", "/demo-user-keys/90b3d51f30000011-ds.key"] {
            let mode = try FileManager.default.attributesOfItem(atPath: store.path + key)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(key)")
        }
    }

    @Test func importRefusesTheWrongRoleAndAcceptsAMatchingCertificate() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let other = try DemoStore()
        defer { other.remove() }
        // A Network Operator's certificate offered as a Supplier's: refused, nothing written.
        let before = try store.files()
        let wrongRole = try store.run(["cert", "import", other.path + "/smki/cadent-ds.pem", "--org", "heron-energy"])
        #expect(wrongRole.exitCode == 2)
        #expect(wrongRole.stderr.contains("OU is '03'"), "\(wrongRole.stderr)")
        #expect(try store.files() == before)
        // The CA certificate: key usage keyCertSign, not an Organisation Certificate.
        let ca = try store.run(["cert", "import", other.path + "/smki/issuing-ca.pem", "--org", "cadent", "--json"])
        #expect(ca.exitCode == 2)
        // Another store's Cadent certificate (same entity, role, usage; other key), with its key.
        let accepted = try store.run(["cert", "import", other.path + "/smki/cadent-ds.pem", "--org", "cadent",
                                      "--key", other.path + "/demo-user-keys/90b3d51f30000011-ds.key", "--json"])
        #expect(accepted.exitCode == 0, "\(accepted.stderr)")
        #expect(try accepted.json()["imported"] as? String == "cadent-ds")
        let otherCertificate = try String(contentsOfFile: other.path + "/smki/cadent-ds.pem", encoding: .utf8)
        #expect(try String(contentsOfFile: store.path + "/smki/cadent-ds.pem", encoding: .utf8) == otherCertificate)
    }
}
