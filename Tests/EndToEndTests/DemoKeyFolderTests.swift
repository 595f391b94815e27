import Foundation
import Testing

/// `init --demo` and `init --estate` never overwrite a key in a key folder (issue 27, case 7):
/// a second demo store over the same `$ANCHORDESK_KEYS` signs with the keys already there, so
/// the first keeps working; a key it could not use, or keys in a folder not labelled as demo
/// keys, are refused by name (exit 2) before anything is made.
@Suite("End to end: one key folder, many demo stores")
struct DemoKeyFolderTests {
    let device = "00-DB-12-01-73-F7-8B-92"

    private func scratch() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }

    /// Every `.key` file in `folder` and its bytes.
    private func keys(in folder: String) throws -> [String: Data] {
        var keys: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".key") {
            keys[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return keys
    }

    @Test func aSecondDemoStoreOverTheSameKeysKeepsTheFirstWorking() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("keys").path
        let first = root.appendingPathComponent("first").path
        let second = root.appendingPathComponent("second").path
        let environment = ["ANCHORDESK_KEYS": folder]
        #expect(try AnchorDeskProcess.run(["init", "--demo", "--store", first], environment: environment).exitCode == 0)
        let keysBefore = try keys(in: folder)
        #expect(keysBefore.count >= 10)
        for (store, what) in [(second, ["--demo"]), (root.appendingPathComponent("estate").path, ["--estate", "500"])] {
            let made = try AnchorDeskProcess.run(["init"] + what + ["--store", store], environment: environment)
            #expect(made.exitCode == 0, "\(made.stderr)")
            #expect(try keys(in: folder) == keysBefore, "init \(what) overwrote a key in the folder")
        }

        for store in [first, second] {
            let handBack = try AnchorDeskProcess.run(["request", "6.15.1", "--store", store, "--as", "national-grid", "--device", device,
                                                      "--cert", "acb", "--json"], environment: environment)
            #expect(handBack.exitCode == 0, "\(store): \(handBack.stdout) \(handBack.stderr)")
            // DUIS: the request is signed naming this store's certificate for the shared XML key.
            let request = try AnchorDeskProcess.run(["duis", "request", "6.21", "--store", store, "--as", "heron-energy", "--device", device,
                                                     "--gno", "cadent"], environment: environment)
            #expect(request.exitCode == 0, "\(request.stderr)")
            let file = root.appendingPathComponent("request.xml").path
            try Data(request.stdout.utf8).write(to: URL(fileURLWithPath: file))
            let verified = try AnchorDeskProcess.run(["duis", "verify", file, "--store", store], environment: environment)
            #expect(verified.exitCode == 0, "\(store): \(verified.stdout) \(verified.stderr)")
        }
    }

    @Test func aKeyThatCannotBeUsedIsNamedAndNothingIsMade() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("keys").path
        let environment = ["ANCHORDESK_KEYS": folder]
        #expect(try AnchorDeskProcess.run(["init", "--demo", "--store", root.appendingPathComponent("first").path], environment: environment).exitCode == 0)
        let damaged = folder + "/90b3d51f30000011-ds.key"
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: damaged))
        #expect(chmod(damaged, 0o600) == 0)
        let second = root.appendingPathComponent("second").path
        let refused = try AnchorDeskProcess.run(["init", "--demo", "--store", second], environment: environment)
        #expect(refused.exitCode == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains(damaged) && refused.stderr.contains("nothing was created"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: second + "/snapshot.json"))
        #expect(try String(contentsOfFile: damaged, encoding: .utf8) == "not a key")

        #expect(chmod(folder + "/90b3d51f30000010-ds.key", 0o644) == 0)
        try FileManager.default.removeItem(atPath: damaged)
        let readable = try AnchorDeskProcess.run(["init", "--demo", "--store", second], environment: environment)
        #expect(readable.exitCode == 2 && readable.stderr.contains(folder + "/90b3d51f30000010-ds.key"), "\(readable.stderr)")
        #expect(!FileManager.default.fileExists(atPath: second + "/snapshot.json"))
    }

    @Test func keysInAFolderNotLabelledAsDemoKeysAreRefusedByName() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("real-keys").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("a real key".utf8).write(to: URL(fileURLWithPath: folder + "/90b3d51f30000010-ds.key"))
        let store = root.appendingPathComponent("store").path
        let refused = try AnchorDeskProcess.run(["init", "--demo", "--store", store], environment: ["ANCHORDESK_KEYS": folder])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains(folder + "/90b3d51f30000010-ds.key"))
        #expect(refused.stderr.contains("is not a demo key folder"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store + "/snapshot.json"))
        #expect(try String(contentsOfFile: folder + "/90b3d51f30000010-ds.key", encoding: .utf8) == "a real key")
    }
}
