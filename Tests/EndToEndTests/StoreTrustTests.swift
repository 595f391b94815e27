import Foundation
import Testing

/// The store trusts only its own regular files (issue 27, case 2): a symbolic link or other
/// non-regular file in it, a directory others may write in, or a private key others may read
/// is refused (exit 3, named), and nothing outside the store is ever written through a link.
@Suite("End to end: the store trusts only its own files")
struct StoreTrustTests {
    let device = "00-DB-12-01-73-F7-8B-92"
    var handBack: [String] { ["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"] }

    /// `store`'s `name` moved outside it and replaced by a link to it; returns the outside file's path.
    private func replaceWithLink(_ name: String, in store: DemoStore) throws -> String {
        let outside = store.root.appendingPathComponent("outside-\(name)").path
        try FileManager.default.moveItem(atPath: store.path + "/" + name, toPath: outside)
        try FileManager.default.createSymbolicLink(atPath: store.path + "/" + name, withDestinationPath: outside)
        return outside
    }

    private func expectUntrusted(_ result: AnchorDeskProcess.Result, naming file: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.exitCode == 3, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(file) && result.stderr.contains(what), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test func aJournalThatIsALinkIsRefusedAndWhatItPointsAtIsNeverWritten() throws {
        let store = try DemoStore()
        defer { store.remove() }
        #expect(try store.run(handBack).exitCode == 0)
        let outside = try replaceWithLink("journal.jsonl", in: store)
        let before = try Data(contentsOf: URL(fileURLWithPath: outside))
        expectUntrusted(try store.run(["store", "check"]), naming: "journal.jsonl", "is a symbolic link")
        expectUntrusted(try store.run(["request", "6.21", "--as", "heron-energy", "--device", device, "--gno", "cadent"]),
                        naming: "journal.jsonl", "is a symbolic link")
        #expect(try Data(contentsOf: URL(fileURLWithPath: outside)) == before, "the file the link points at was written")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root.path).filter { $0.hasPrefix("outside-journal") } == ["outside-journal.jsonl"])
    }

    @Test func linksAtTheSnapshotTheLockAndTheSMKIFolderAreRefusedByEveryCommand() throws {
        for name in ["snapshot.json", "lock", "smki"] {
            let store = try DemoStore()
            defer { store.remove() }
            if name == "lock" { FileManager.default.createFile(atPath: store.path + "/lock", contents: Data()) }
            let outside = try replaceWithLink(name, in: store)
            for command in [["devices"], ["store", "check"], ["audit", "verify"], handBack] {
                expectUntrusted(try store.run(command), naming: "/" + name, "is a symbolic link")
            }
            if name == "lock" { #expect(try Data(contentsOf: URL(fileURLWithPath: outside)).isEmpty, "the lock's target was written") }
        }
    }

    @Test func aFIFOInTheStoreIsRefusedByStoreCheck() throws {
        let store = try DemoStore()
        defer { store.remove() }
        #expect(mkfifo(store.path + "/smki/pipe", 0o600) == 0)
        expectUntrusted(try store.run(["store", "check"]), naming: "smki/pipe", "is not a regular file")
        expectUntrusted(try store.run(["devices", "--json"]), naming: "smki/pipe", "is not a regular file")
    }

    @Test func aStoreDirectoryOthersMayWriteInIsRefused() throws {
        for (folder, mode) in [("", 0o777), ("", 0o770), ("/smki", 0o757)] as [(String, mode_t)] {
            let store = try DemoStore()
            defer { store.remove() }
            let before = try store.files()
            #expect(chmod(store.path + folder, mode) == 0)
            for command in [["devices"], ["store", "check"], handBack] {
                expectUntrusted(try store.run(command), naming: store.path + folder, "is writable by group or others")
            }
            #expect(try store.files() == before)
        }
    }

    @Test func privateKeysOthersMayReadAreRefusedNamingTheFileAsSSHDoes() throws {
        let store = try DemoStore()
        defer { store.remove() }
        // The DCC's own key (the ACB signs SRV6.21) and a User's (National Grid signs its hand-back).
        let acbKey = store.path + "/smki/keys/dcc-acb-ds.key"
        #expect(chmod(acbKey, 0o644) == 0)
        expectUntrusted(try store.run(["request", "6.21", "--as", "kestrel-supply", "--device", "00-DB-12-02-70-A7-80-E9", "--gno", "cadent"]),
                        naming: acbKey, "a private key that group or others may read (mode 644)")
        #expect(chmod(acbKey, 0o600) == 0)
        let userKey = store.path + "/demo-user-keys/90b3d51f30000010-ds.key"
        #expect(chmod(userKey, 0o640) == 0)
        let refused = try store.run(handBack)
        expectUntrusted(refused, naming: userKey, "chmod 600")
        // The same key in a folder given with --keys, outside the store.
        let folder = store.root.appendingPathComponent("keys").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: userKey, toPath: folder + "/90b3d51f30000010-ds.key")
        expectUntrusted(try store.run(handBack + ["--keys", folder]), naming: folder + "/90b3d51f30000010-ds.key", "mode 640")
        #expect(chmod(folder + "/90b3d51f30000010-ds.key", 0o600) == 0)
        #expect(try store.run(handBack + ["--keys", folder]).exitCode == 0)
    }

    @Test func aKeystoresKeyOthersMayReadIsLeftOutOfVerificationNamingIt() throws {
        let keystore = try ReferenceVerificationTests.privateKeystore()
        defer { try? FileManager.default.removeItem(atPath: keystore) }
        let hex = try #require(try ReferenceVerificationTests.messages().first { $0.name == "CS02bNOByNO_6.15.1_SUCCESS_COMMAND_GBCS.HEX" }?.hex)
        #expect(chmod(keystore + "/90b3d51f30000002-ka.key", 0o644) == 0)
        let result = try AnchorDeskProcess.run(["gbcs", "decode", hex, "--verify", "--keys", keystore, "--json"])
        #expect(result.stderr.contains("warning: 90b3d51f30000002-ka.key left out: a private key that group or others may read (mode 644)"),
                "\(result.stderr)")
        #expect((try result.json()["verification"] as? [String: Any])?["mac"] as? String == "unchecked")
    }
}
