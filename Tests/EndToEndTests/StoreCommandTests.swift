import AnchorStore
import Foundation
import Testing

@Suite("End to end: store check and compact")
struct StoreCommandTests {
    @Test func checkPassesOnAGoodStoreAndNamesTheProblemOnABadOne() throws {
        let store = try DemoStore()
        defer { store.remove() }
        #expect(try store.run(["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb"]).exitCode == 0)
        let good = try store.run(["store", "check", "--json"])
        #expect(good.exitCode == 0, "\(good.stderr)")
        let report = try good.json()
        #expect(report["ok"] as? Bool == true)
        #expect(report["journalRecords"] as? Int == 1)
        #expect(report["devices"] as? Int == 221)
        #expect(report["auditEntries"] as? Int == 1)

        let journal = URL(fileURLWithPath: store.path + "/journal.jsonl")
        var bytes = [UInt8](try Data(contentsOf: journal))
        bytes[200] ^= 0x20
        try Data(bytes).write(to: journal)
        let bad = try store.run(["store", "check"])
        #expect(bad.exitCode == 3)
        #expect(bad.stderr.hasPrefix("error: "))
        #expect(bad.stderr.contains("journal.jsonl") && bad.stderr.contains("byte 0"))
    }

    @Test func compactFoldsTheJournalAndKeepsEverything() throws {
        let store = try DemoStore()
        defer { store.remove() }
        #expect(try store.run(["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb"]).exitCode == 0)
        let before = try store.run(["requests", "--json"]).stdout
        let compact = try store.run(["store", "compact"])
        #expect(compact.exitCode == 0, "\(compact.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path + "/journal.jsonl")).isEmpty)
        #expect(try store.run(["requests", "--json"]).stdout == before)
        #expect(try store.run(["store", "check"]).exitCode == 0)
    }

    @Test func checkComparesTheLogIndexWithTheLog() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let device = "00-DB-12-01-73-F7-8B-92"
        #expect(try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"]).exitCode == 0)
        #expect(try store.run(["store", "compact"]).exitCode == 0)
        let check = try store.run(["store", "check"])
        #expect(check.exitCode == 0, "\(check.stderr)")
        #expect(check.stdout.contains("snapshot.index ok"), "\(check.stdout)")
        let before = try store.run(["requests", "--device", device, "--json"]).stdout

        let index = URL(fileURLWithPath: store.path + "/snapshot.index")
        try FileManager.default.removeItem(at: index)
        let missing = try store.run(["store", "check", "--json"])
        #expect(missing.exitCode == 0, "\(missing.stderr)")
        #expect(try missing.json()["logIndex"] as? String == "missing")
        // A reader makes it again in memory and answers the same; the next writer saves it.
        let reread = try store.run(["requests", "--device", device, "--json"])
        #expect(reread.stdout == before)
        #expect(reread.stderr.contains("snapshot.index was missing"), "\(reread.stderr)")
        #expect(try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"]).exitCode != 2)
        #expect(FileManager.default.fileExists(atPath: index.path))
        #expect(try store.run(["store", "check", "--json"]).json()["logIndex"] as? String == "ok")
    }

    @Test func checkComparesTheDeviceIndexWithTheBodyAndAWrongOneIsAProblem() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let check = try store.run(["store", "check"])
        #expect(check.exitCode == 0, "\(check.stderr)")
        #expect(check.stdout.contains("snapshot.devices ok  221 device rows"), "\(check.stdout)")
        let devices = try store.run(["devices", "--filter", "supplier=heron-energy", "--json"]).stdout

        // One row's Supplier column changed, the file's own checksum made to match: filters are misled until the check.
        let path = store.path + "/snapshot.devices"
        var words = try Data(contentsOf: URL(fileURLWithPath: path)).withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
        let (count, supplierWords) = (Int(words[5]), Int(words[6]))
        words[8 + supplierWords + 2 * count] ^= 1 << 32
        words[7] = UInt64(words.withUnsafeBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[64...])) })
        try words.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path))
        let wrong = try store.run(["store", "check"])
        #expect(wrong.exitCode == 3, "\(wrong.stdout)")
        #expect(wrong.stderr.hasPrefix("error: snapshot.devices names the snapshot's body but does not match it"), "\(wrong.stderr)")

        // Removed, the rows are read whole (the same answers) until a writer makes it again.
        try FileManager.default.removeItem(atPath: path)
        #expect(try store.run(["store", "check", "--json"]).json()["deviceIndex"] as? String == "missing")
        #expect(try store.run(["devices", "--filter", "supplier=heron-energy", "--json"]).stdout == devices)
        #expect(try store.run(["store", "compact"]).exitCode == 0)
        #expect(try store.run(["store", "check", "--json"]).json()["deviceIndex"] as? String == "ok")
    }
}
