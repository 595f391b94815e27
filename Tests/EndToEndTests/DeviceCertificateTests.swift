import Foundation
import Testing

/// A simulated device's certificates, as the SMKI Repository publishes them (`cert show DEVICE-ID
/// --usage ds|ka`, `cert export`), are enough for a tool AnchorDesk did not write to check
/// AnchorDesk's own messages: Python's `cryptography` recomputes the MAC of an SRV6.15.1 command
/// with the ACB's key-agreement key and verifies the device's signed response.
@Suite("End to end: device certificates")
struct DeviceCertificateTests {
    let device = "00-DB-12-01-73-F7-8B-92"
    static let checker = PythonCheck("check_gbcs.py")

    /// `anchordesk cert show DEVICE-ID --usage U --pem --store S` into a file.
    func certificateFile(_ store: DemoStore, usage: String) throws -> String {
        let shown = try store.run(["cert", "show", device, "--usage", usage, "--pem"])
        #expect(shown.exitCode == 0, "\(shown.stderr)")
        #expect(shown.stdout.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        let file = store.root.appendingPathComponent("device-\(usage).pem").path
        try Data(shown.stdout.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    @Test(.enabled(if: PythonCheck.isAvailable, "python3 with cryptography is not installed"))
    func pythonsCryptographyChecksAnchorDesksMACAndTheDevicesSignatureWithThePublishedCertificates() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb", "--show-wire", "--json"])
        #expect(handBack.exitCode == 0, "\(handBack.stderr)")
        let wire = try #require(try handBack.json()["wire"] as? [String: Any])
        let command = try #require(wire["command"] as? String), response = try #require(wire["response"] as? String)

        let verdict = try Self.checker.json([command, response, store.path + "/smki/keys/dcc-acb-ka.key",
                                             try certificateFile(store, usage: "ka"), try certificateFile(store, usage: "ds")],
                                            as: [String: Bool].self)
        #expect(verdict == ["mac": true, "signature": true, "flippedMac": false, "flippedSignature": false])
    }

    @Test func certShowGivesTheDevicesCertificatesWithTheirKeysAndTheSameFieldsEachTime() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let signing = try store.run(["cert", "show", device, "--usage", "ds", "--json"])
        #expect(signing.exitCode == 0, "\(signing.stderr)")
        let json = try signing.json()
        #expect(json["device"] as? String == device && json["deviceId"] as? String == device)
        #expect(json["usage"] as? String == "DS" && json["keyUsage"] as? String == "DS")
        #expect(json["subject"] as? String == "" && json["entityId"] is NSNull)
        #expect((json["issuer"] as? String)?.contains("AnchorDesk demo Device CA") == true)
        #expect(json["notValidAfter"] as? String == "9999-12-31T23:59:59Z")
        #expect((json["pem"] as? String)?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
        let again = try store.run(["cert", "show", device, "--usage", "ds", "--json"]).json()
        for field in ["serial", "subjectKeyId", "notValidBefore", "issuer"] {
            #expect(again[field] as? String == json[field] as? String, "\(field)")
        }
        let agreement = try store.run(["cert", "show", device.replacingOccurrences(of: "-", with: "").lowercased(), "--usage", "ka", "--json"]).json()
        #expect(agreement["keyUsage"] as? String == "KA")
        #expect(agreement["serial"] as? String != json["serial"] as? String)
        let human = try store.run(["cert", "show", device, "--usage", "ka"])
        #expect(human.stdout.contains("device ID    \(device)"), "\(human.stdout)")
    }

    @Test func certShowRefusesWhatIsNotADeviceCertificateWithOneErrorLine() throws {
        let store = try DemoStore()
        defer { store.remove() }
        for (arguments, code, exit) in [
            (["cert", "show", device], "bad-usage", Int32(2)),
            (["cert", "show", "00-DB-FF-FF-FF-FF-FF-FF", "--usage", "ds"], "unknown-device", 2),
            (["cert", "show", "not-a-device", "--usage", "ka"], "bad-device-id", 2),
            (["cert", "show", device, "--usage", "xx"], "bad-usage", 2),
        ] as [([String], String, Int32)] {
            let result = try store.run(arguments + ["--json"])
            #expect(result.exitCode == exit, "\(arguments): \(result.stderr)")
            #expect((try result.json()["error"] as? [String: Any])?["code"] as? String == code, "\(arguments): \(result.stdout)")
            #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
        }
    }

    /// `cert export` lays the certificates out as DCC's keystore; `gbcs decode --verify --keys`
    /// then checks AnchorDesk's own command with that directory (and the ACB's key put beside it).
    @Test func certExportWritesAKeystoreAnotherToolCanVerifyWith() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb", "--show-wire", "--json"])
        let wire = try #require(try handBack.json()["wire"] as? [String: Any])
        let command = try #require(wire["command"] as? String), response = try #require(wire["response"] as? String)

        let keystore = store.root.appendingPathComponent("exported").path
        let export = try store.run(["cert", "export", keystore, "--filter", "no=national-grid", "--limit", "3", "--json"])
        #expect(export.exitCode == 0, "\(export.stderr)")
        let summary = try export.json()
        #expect(summary["devices"] as? Int == 3)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: keystore))
        #expect(files.filter { $0.hasPrefix("00db") }.count == 6)
        #expect(files.contains("90b3d51f30000010-ds.pem") && files.contains("90b3d51f30000004-ka.pem"))
        #expect(!files.contains { $0.hasSuffix(".key") }, "no private key is exported")
        // The hand-back went to a device no longer matching no=national-grid: export it by its ID.
        #expect(try store.run(["cert", "export", keystore, "--filter", device.replacingOccurrences(of: "-", with: "")]).exitCode == 0)
        #expect(try String(contentsOfFile: keystore + "/00db120173f78b92-ds.pem", encoding: .utf8).hasPrefix("-----BEGIN CERTIFICATE-----"))

        let answer = try AnchorDeskProcess.run(["gbcs", "decode", response, "--verify", "--keys", keystore])
        #expect(answer.exitCode == 0, "\(answer.stderr)")
        #expect(answer.stdout.contains("verification: signature valid (00db120173f78b92-ds.pem), MAC absent"), "\(answer.stdout)")
        let unkeyed = try AnchorDeskProcess.run(["gbcs", "decode", command, "--verify", "--keys", keystore])
        #expect(unkeyed.exitCode == 1)
        #expect(unkeyed.stdout.contains("verification: signature valid (90b3d51f30000010-ds.pem), MAC unchecked"), "\(unkeyed.stdout)")
        try FileManager.default.copyItem(atPath: store.path + "/smki/keys/dcc-acb-ka.key", toPath: keystore + "/90b3d51f30000004-ka.key")
        let keyed = try AnchorDeskProcess.run(["gbcs", "decode", command, "--verify", "--keys", keystore])
        #expect(keyed.exitCode == 0, "\(keyed.stderr)")
        #expect(keyed.stdout.contains("MAC valid (90b3d51f30000004-ka.key with 00db120173f78b92-ka.pem)"), "\(keyed.stdout)")
    }

    @Test func certExportRefusesABadFilterAndAPathThatIsAFile() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let badFilter = try store.run(["cert", "export", store.root.appendingPathComponent("out").path, "--filter", "no=", "--json"])
        #expect(badFilter.exitCode == 2)
        #expect((try badFilter.json()["error"] as? [String: Any])?["code"] as? String == "bad-filter")
        let file = store.root.appendingPathComponent("a-file").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let onFile = try store.run(["cert", "export", file, "--filter", device, "--json"])
        #expect(onFile.exitCode != 0 && onFile.exitCode != 1)
        #expect(try onFile.json()["error"] != nil)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "x")
    }
}
