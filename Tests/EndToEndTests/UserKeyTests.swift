import Foundation
import Testing

/// Keys where they belong: the DCC keeps its own private keys; a User's key is the User's, read
/// from a key directory (`--keys DIR` or `$ANCHORDESK_KEYS`), and only a demo store names one.
@Suite("End to end: a User's private key belongs to the User")
struct UserKeyTests {
    let device = "00-DB-12-01-73-F7-8B-92"
    let nationalGridKey = "90b3d51f30000010-ds.key"

    /// A store made from data that is not the demo: no User key anywhere in it.
    func plainStore(in root: URL) throws -> String {
        let store = root.appendingPathComponent("plain").path
        let made = try AnchorDeskProcess.run(["init", "--from", AnchorDeskProcess.demoData, "--store", store])
        #expect(made.exitCode == 0, "\(made.stderr)")
        #expect(made.stdout.contains("no User's private key is kept"))
        return store
    }

    @Test func aStoreNotMadeWithDemoHoldsNoUsersKeyAndActingWithoutItIsAClearError() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try plainStore(in: root)
        let everything = try FileManager.default.subpathsOfDirectory(atPath: store)
        #expect(!everything.contains { $0.hasSuffix(nationalGridKey) || $0.contains("demo-user-keys") })
        let vaultKeys = try FileManager.default.contentsOfDirectory(atPath: store + "/smki/keys")
        for user in ["national-grid", "cadent", "heron-energy", "brightwater-gas"] {
            #expect(!vaultKeys.contains { $0.hasPrefix(user + "-") }, "\(user)'s key is in the vault")
        }
        #expect(vaultKeys.contains("dcc-acb-ds.key") && vaultKeys.contains("dcc-acb-ka.key"))

        let before = try String(contentsOfFile: store + "/journal.jsonl", encoding: .utf8)
        let refused = try AnchorDeskProcess.run(["request", "6.15.1", "--store", store, "--as", "national-grid", "--device", device, "--cert", "acb"])
        #expect(refused.exitCode == 2)
        let lines = refused.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: no private key for national-grid"), "\(refused.stderr)")
        #expect(refused.stderr.contains(nationalGridKey) && refused.stderr.contains("--keys"))
        #expect(try String(contentsOfFile: store + "/journal.jsonl", encoding: .utf8) == before)
        let bulk = try AnchorDeskProcess.run(["bulk", "6.15.1", "--store", store, "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb"])
        #expect(bulk.exitCode == 2 && bulk.stderr.contains("no private key for national-grid"))
        #expect(try String(contentsOfFile: store + "/journal.jsonl", encoding: .utf8) == before)

        // SRV6.21 is signed by the ACB, whose key the DCC holds: no User key is needed.
        let handover = try AnchorDeskProcess.run(["request", "6.21", "--store", store, "--as", "heron-energy", "--device", device, "--gno", "cadent", "--json"])
        #expect(handover.exitCode == 1 || handover.exitCode == 0, "\(handover.stderr)")
        #expect(!handover.stderr.contains("no private key"))
    }

    @Test func aUserSignsWithTheKeyInItsOwnKeyDirectory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try plainStore(in: root)
        let demo = try DemoStore()
        defer { demo.remove() }
        let keys = root.appendingPathComponent("national-grid-keys").path
        // National Grid brings its own certificate and key; the key goes to its key directory, not the vault.
        let imported = try AnchorDeskProcess.run([
            "cert", "import", demo.path + "/smki/national-grid-ds.pem", "--org", "national-grid",
            "--key", demo.path + "/demo-user-keys/" + nationalGridKey, "--keys", keys, "--store", store,
        ])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        #expect(FileManager.default.fileExists(atPath: keys + "/" + nationalGridKey))
        #expect(try !FileManager.default.contentsOfDirectory(atPath: store + "/smki/keys").contains { $0.hasPrefix("national-grid") })

        let signed = try AnchorDeskProcess.run(["request", "6.15.1", "--store", store, "--as", "national-grid", "--device", device,
                                                "--cert", "acb", "--keys", keys, "--json"])
        #expect(signed.exitCode == 0, "\(signed.stderr)")
        #expect(try signed.json()["outcome"] as? String == "succeeded")
        let fromEnvironment = try AnchorDeskProcess.run(
            ["request", "6.15.1", "--store", store, "--as", "national-grid", "--device", "00-DB-12-02-2F-AE-E4-4E", "--cert", "acb", "--json"],
            environment: ["ANCHORDESK_KEYS": keys])
        #expect(fromEnvironment.exitCode != 2, "\(fromEnvironment.stderr)")
        #expect(!fromEnvironment.stderr.contains("no private key"))
    }

    @Test func aDemoStoreLabelsItsDemoKeysAndAnOlderStoresUserKeysMoveOutOfTheVault() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let label = try String(contentsOfFile: store.path + "/demo-user-keys/DEMO-KEYS-README.txt", encoding: .utf8)
        #expect(label.hasPrefix("DEMO KEYS"))
        // As a store made before this change: National Grid's key in the vault, no demo folder recorded.
        try FileManager.default.moveItem(atPath: store.path + "/demo-user-keys/" + nationalGridKey,
                                         toPath: store.path + "/smki/keys/national-grid-ds.key")
        let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb", "--json"])
        #expect(handBack.exitCode == 0, "\(handBack.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store.path + "/smki/keys/national-grid-ds.key"))
        #expect(FileManager.default.fileExists(atPath: store.path + "/demo-user-keys/" + nationalGridKey))
    }

    @Test func demoKeysNeverGoAmongRealOnes() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let real = root.appendingPathComponent("real-keys")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        try "not a demo key".write(to: real.appendingPathComponent(nationalGridKey), atomically: true, encoding: .utf8)
        let store = root.appendingPathComponent("store").path
        let refused = try AnchorDeskProcess.run(["init", "--demo", "--store", store], environment: ["ANCHORDESK_KEYS": real.path])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.contains("not a demo key folder"), "\(refused.stderr)")
        #expect(try String(contentsOf: real.appendingPathComponent(nationalGridKey), encoding: .utf8) == "not a demo key")
        #expect(!FileManager.default.fileExists(atPath: store))

        // Made again from other data, a demo store names no demo key folder any more.
        #expect(try AnchorDeskProcess.run(["init", "--demo", "--store", store]).exitCode == 0)
        let again = try AnchorDeskProcess.run(["init", "--from", AnchorDeskProcess.demoData, "--force", "--store", store])
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store + "/smki/demo-user-keys.path"))
        let request = try AnchorDeskProcess.run(["request", "6.15.1", "--store", store, "--as", "national-grid", "--device", device, "--cert", "acb"])
        #expect(request.exitCode == 2 && request.stderr.contains("no private key for national-grid"))
    }
}
