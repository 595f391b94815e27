import Foundation
import SMKI
import Testing

/// `init --demo` writes the operator API's demo TLS material (issue 26, item 4): the DSP's
/// server certificate and key, the operator CA, the grants, and a client certificate and key per
/// operator, with the modes of keys and certificates, each operator named in the grants by the
/// subject of its certificate.
@Suite("End to end: init --demo writes the operator API's TLS files")
struct OperatorTLSDemoTests {
    /// The demo's User organisations (Suppliers and Network Operators), each an operator.
    static let users = ["national-grid", "cadent", "sgn", "northern-gas-networks", "wales-west", "fenland-pipelines", "harbour-gas",
                        "brightwater-gas", "heron-energy", "kestrel-supply"]
    /// The organisations whose keys the DCC holds: the `dcc` operator's.
    static let dccOrganisations = ["smki-root", "smki-recovery", "dcc-acb", "dcc-tcos", "csp-north"]
    static let checker = PythonCheck("check_tls.py")

    /// The paths `init` names, in a store directory.
    struct Layout {
        let store: String
        var folder: String { store + "/operator-tls" }
        var operators: String { store + "/operators" }
        var json: [String: String] {
            ["serverCertificate": folder + "/server.pem", "serverKey": folder + "/server.key", "operatorCA": folder + "/operator-ca.pem",
             "operatorCAKey": folder + "/operator-ca.key", "grants": folder + "/grants.json", "operators": operators]
        }
        /// Every file and its mode: keys 0600, certificates 0644, the grants 0600.
        var files: [String: Int] {
            var files = [folder + "/server.pem": 0o644, folder + "/server.key": 0o600, folder + "/operator-ca.pem": 0o644,
                         folder + "/operator-ca.key": 0o600, folder + "/grants.json": 0o600]
            for name in OperatorTLSDemoTests.users + ["dcc"] {
                files[operators + "/\(name).pem"] = 0o644
                files[operators + "/\(name).key"] = 0o600
            }
            return files
        }
    }

    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    static func grants(_ layout: Layout) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: layout.folder + "/grants.json")))
        return try #require((object as? [String: Any])?["operators"] as? [[String: Any]])
    }

    @Test func theFilesAreWrittenWithTheirModesAndTheJSONNamesThem() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let layout = Layout(store: root.appendingPathComponent("store").path)
        let made = try AnchorDeskProcess.run(["init", "--demo", "--store", layout.store, "--json"])
        #expect(made.exitCode == 0, "\(made.stderr)")
        #expect(try made.json()["operatorTLS"] as? [String: String] == layout.json)
        for (file, mode) in layout.files {
            #expect(try Self.mode(file) == mode, "\(file)")
        }
        #expect(try Self.mode(layout.folder) == 0o700 && Self.mode(layout.operators) == 0o700)
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: layout.operators)).count == 2 * (Self.users.count + 1))

        let human = try AnchorDeskProcess.run(["init", "--demo", "--force", "--store", layout.store])
        #expect(human.exitCode == 0, "\(human.stderr)")
        let lines = human.stdout.split(separator: "\n").map(String.init)
        let expected = [
            "demo DSP's TLS server certificate and key for 127.0.0.1, ::1, localhost (DEMO KEYS, not for real use): "
                + "\(layout.folder)/server.pem \(layout.folder)/server.key",
            "demo operator CA, which issued every operator certificate (DEMO KEYS, not for real use): "
                + "\(layout.folder)/operator-ca.pem \(layout.folder)/operator-ca.key",
            "demo operator grants, by certificate subject (DEMO): \(layout.folder)/grants.json",
            "demo operators' client certificates and keys, one per User organisation and dcc (DEMO KEYS, not for real use): \(layout.operators)",
        ]
        #expect(Array(lines.suffix(4)) == expected, "\(human.stdout)")
    }

    @Test func eachOperatorCertificatesSubjectIsGrantedItsOrganisations() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let layout = Layout(store: store.path)
        let grants = try Self.grants(layout)
        #expect(grants.count == Self.users.count + 1)
        for name in Self.users + ["dcc"] {
            let pem = try String(contentsOfFile: layout.operators + "/\(name).pem", encoding: .utf8)
            let subject = try TLSAuthority.subject(ofCertificatePEM: pem)
            #expect(subject == "CN=\(name),O=AnchorDesk demo operators")
            let grant = try #require(grants.first { $0["subject"] as? String == subject }, "\(subject) is not in the grants")
            #expect(grant["organisations"] as? [String] == (name == "dcc" ? Self.dccOrganisations : [name]), "\(name)")
            #expect(grant["dcc"] as? Bool == (name == "dcc"), "\(name)")
        }
    }

    @Test(.enabled(if: PythonCheck.isAvailable, "python3 with cryptography is not installed"))
    func opensslReadsTheCertificatesAsIssuedByTheCAForTheirUse() throws {
        let started = Date()
        let store = try DemoStore(), other = try DemoStore()
        let finished = Date()
        defer { store.remove(); other.remove() }
        // TLS peers check the real clock, not $ANCHORDESK_NOW: valid from an hour before init ran, for a year (the CA ten).
        func validity(_ certificate: [String: Any], days: Double) -> Bool {
            let dates = ISO8601DateFormatter()
            guard let from = (certificate["notBefore"] as? String).flatMap(dates.date), let until = (certificate["notAfter"] as? String).flatMap(dates.date)
            else { return false }
            return from >= started.addingTimeInterval(-3601) && from <= finished.addingTimeInterval(-3599)
                && abs(until.timeIntervalSince(from) - days * 86_400) < 1
        }
        let layout = Layout(store: store.path)
        let names = ["cadent", "dcc"]
        let seen = try Self.check(authority: layout.folder + "/operator-ca.pem", [(layout.folder + "/server.pem", layout.folder + "/server.key")]
            + names.map { (layout.operators + "/\($0).pem", layout.operators + "/\($0).key") })
        try #require(seen.count == 4)
        let (authority, server) = (seen[0], seen[1])
        #expect(authority["subject"] as? String == "CN=AnchorDesk demo operator CA,O=AnchorDesk demo")
        #expect(authority["isCA"] as? Bool == true && authority["issuedByCA"] as? Bool == true && authority["keyMatches"] as? Bool == true)
        #expect(authority["keyUsages"] as? [String] == ["crl_sign", "key_cert_sign"])
        #expect(validity(authority, days: 3650), "\(authority)")
        #expect(server["dnsNames"] as? [String] == ["localhost"] && server["ipAddresses"] as? [String] == ["127.0.0.1", "::1"])
        #expect(server["extendedKeyUsages"] as? [String] == ["serverAuth"])
        for (name, client) in zip(names, seen.dropFirst(2)) {
            #expect(client["subject"] as? String == "CN=\(name),O=AnchorDesk demo operators")
            #expect(client["extendedKeyUsages"] as? [String] == ["clientAuth"], "\(name)")
            #expect(client["dnsNames"] as? [String] == [], "\(name)")
        }
        for certificate in seen.dropFirst() {
            #expect(certificate["issuedByCA"] as? Bool == true && certificate["keyMatches"] as? Bool == true, "\(certificate)")
            #expect(certificate["keyIsPKCS8"] as? Bool == true && certificate["isCA"] as? Bool == false, "\(certificate)")
            #expect(certificate["keyUsages"] as? [String] == ["digital_signature"], "\(certificate)")
            #expect(validity(certificate, days: 365), "\(certificate)")
        }
        // Another demo store's operator CA issued none of this store's certificates.
        let foreign = try Self.check(authority: other.path + "/operator-tls/operator-ca.pem", [(layout.operators + "/cadent.pem", layout.operators + "/cadent.key")])
        #expect(foreign.last?["issuedByCA"] as? Bool == false)
    }

    @Test func forceReplacesTheFilesAndARefusedInitLeavesThemAlone() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let layout = Layout(store: store.path)
        let before = try DemoStore.files(in: store.path)
        let refused = try AnchorDeskProcess.run(["init", "--demo", "--store", store.path])
        #expect(refused.exitCode != 0 && refused.stderr.hasPrefix("error: "), "\(refused.stderr)")
        #expect(try DemoStore.files(in: store.path) == before)

        let replaced = try AnchorDeskProcess.run(["init", "--demo", "--force", "--store", store.path])
        #expect(replaced.exitCode == 0, "\(replaced.stderr)")
        let after = try DemoStore.files(in: store.path)
        for file in layout.files.keys where !file.hasSuffix("grants.json") {
            let name = String(file.dropFirst(store.path.count + 1))
            #expect(after[name] != nil && after[name] != before[name], "\(name) was not replaced")
        }
        #expect(try Self.grants(layout).count == Self.users.count + 1)
    }

    @Test func aStoreFromOtherDataGetsNoDemoTLSFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = root.appendingPathComponent("store").path
        let made = try AnchorDeskProcess.run(["init", "--from", AnchorDeskProcess.demoData, "--store", store, "--json"])
        #expect(made.exitCode == 0, "\(made.stderr)")
        #expect(try made.json()["operatorTLS"] is NSNull)
        #expect(!FileManager.default.fileExists(atPath: store + "/operator-tls"))
        #expect(!FileManager.default.fileExists(atPath: store + "/operators"))
    }

    /// What `check_tls.py` reads in the CA and each certificate and key.
    static func check(authority: String, _ pairs: [(String, String)]) throws -> [[String: Any]] {
        try checker.json([authority] + pairs.flatMap { [$0.0, $0.1] })
    }
}
