import Foundation
import Testing

/// `anchordesk serve` and `anchordesk duis` as a User runs them: the README's round trip over
/// HTTP with the real executable, and bad input refused in one line.
@Suite struct DUISCommandTests {
    private func file(_ store: DemoStore, _ name: String, _ text: String) throws -> String {
        let path = store.root.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theReadmesRoundTripOverHTTP() throws {
        let store = try DemoStore()
        var serve = try ServeProcess(store: store)
        defer { serve.stop() }
        let device = "00-DB-12-01-73-F7-8B-92"
        try serve.handBack(device, on: store)
        let cv1 = try store.run(["duis", "request", "6.21", "--as", "heron-energy", "--device", device, "--gno", "cadent"])
        #expect(try serve.post(cv1.stdout, to: "serviceS").body.contains("<sr:ResponseCode>I99</sr:ResponseCode>"))
        serve.server.waitForLines(3)
        #expect(serve.server.lines.count == 4, "\(serve.server.lines)")
        let log = try store.requestsSinceInit()
        #expect(log.map { $0["service"] as? String } == ["6.15.1", "6.21"])
        #expect(log.allSatisfy { $0["outcome"] as? String == "succeeded" })
    }

    @Test func badInputIsOneLineAndChangesNothing() throws {
        let store = try DemoStore()
        let before = try store.files()
        let notXML = try file(store, "not.xml", "hello")
        let unsigned = try file(store, "unsigned.xml", "<r/>")
        let escape = try file(store, "escape.xml", "<r>\u{1B}[31m</r>")
        let cases: [([String], Int32)] = [
            (["duis", "verify", notXML], 2),
            (["duis", "verify", unsigned], 1),
            (["duis", "verify", escape], 2),
            (["duis", "verify", store.root.appendingPathComponent("missing.xml").path], 2),
            (["duis", "sign", unsigned, "--as", "no-such-org"], 2),
            (["duis", "sign", notXML, "--as", "national-grid"], 2),
            (["duis", "sign-pre-command", unsigned, "--as", "national-grid"], 2),
            (["duis", "request", "6.21", "--as", "heron-energy", "--device", "nonsense", "--gno", "cadent"], 2),
            (["duis", "request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb", "--counter", "18446744073709551616"], 2),
            (["duis", "sign", unsigned, "--as", "national-grid", "--keys", store.root.appendingPathComponent("empty").path], 2),
            (["serve", "--listen", "nonsense"], 2),
            (["serve", "--respond-to", "ftp://\u{1B}[2Jhost/x"], 2),
            (["cert", "import", try file(store, "dcc.pem", try String(contentsOfFile: DUISCommandTests.dccCertificate, encoding: .utf8)),
              "--org", "national-grid", "--xml-signing"], 2),
            (["cert", "import", store.path + "/smki/national-grid-ds.pem", "--org", "national-grid", "--xml-signing"], 2),
        ]
        for (arguments, code) in cases {
            let result = try store.run(arguments)
            #expect(result.exitCode == code, "\(arguments): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("\u{1B}") && !result.stdout.contains("\u{1B}"), "\(arguments) printed an escape")
            #expect(!result.stderr.contains("PRIVATE KEY"), "\(arguments)")
        }
        #expect(try store.files() == before)
    }

    @Test func oneServerPerStoreAndAddressProblemsAreOneLine() throws {
        let store = try DemoStore()
        let serve = try ServeProcess(store: store)
        defer { serve.stop() }
        let second = try store.run(["serve", "--listen", "127.0.0.1:0"])
        #expect(second.exitCode == 3 && second.stderr.hasPrefix("error: another 'anchordesk serve' is running"), "\(second.stderr)")
        let other = try DemoStore()
        let port = try #require(URL(string: serve.base)?.port)
        let inUse = try other.run(["serve", "--listen", "127.0.0.1:\(port)"])
        #expect(inUse.exitCode == 2 && inUse.stderr == "error: cannot listen on 127.0.0.1:\(port): the address is in use\n", "\(inUse.stderr)")
        for arguments in [["--listen", "::1:8079"], ["--listen", "http://127.0.0.1:8079"], ["--respond-to", "http://127.0.0.1:99999/x"]] {
            let result = try other.run(["serve"] + arguments)
            #expect(result.exitCode == 2 && result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
    }

    /// A refused response address is shown without the credential it may carry: before, the
    /// error echoed the whole value, password and token included.
    @Test func aRefusedResponseAddressShowsNoCredential() throws {
        let store = try DemoStore()
        for address in ["ftp://duis-user:s3cret-pass@host/x", "http://duis-user:s3cret-pass@127.0.0.1:99999/x",
                        "http://127.0.0.1:0/x?token=s3cret-pass", "ftp://duis-user:s3cret pass@host/x", "ftp://host/x"] {
            let result = try store.run(["serve", "--respond-to", address])
            #expect(result.exitCode == 2 && result.stderr.hasPrefix("error: --respond-to ") && result.stderr.hasSuffix("is not an http:// or https:// URL\n"),
                    "\(address): \(result.stderr)")
            #expect(!result.stderr.contains("s3cret") && !result.stdout.contains("s3cret"), "\(address): \(result.stderr)")
        }
        #expect(try store.run(["serve", "--respond-to", "ftp://host/x"]).stderr.contains("'ftp://host/x'"))
    }

    @Test func aUsersOwnXMLSigningCertificateIsImported() throws {
        let store = try DemoStore()
        let own = store.path + "/demo-user-keys/90b3d51f30000010-xml.pem"
        let imported = try store.run(["cert", "import", own, "--org", "national-grid", "--xml-signing", "--json"])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        #expect(try imported.json()["org"] as? String == "national-grid")
        let otherOrganisation = try store.run(["cert", "import", own, "--org", "cadent", "--xml-signing"])
        #expect(otherOrganisation.exitCode == 2 && otherOrganisation.stderr.contains("entity"))
    }

    /// DCC's test Network Operator's XML-signing certificate (not a demo organisation's).
    static let dccCertificate = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DUISTests/Fixtures/xml-sign-90B3D51F30020000-ds.pem").path
}
