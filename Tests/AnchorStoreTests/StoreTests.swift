import AnchorCore
import Foundation
import GPFSimulator
import Testing
@testable import AnchorStore

@Suite("The store: snapshot, journal, lock")
struct StoreTests {
    static let demoFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("demo-data").path
    static let now = Timestamp(secondsSince1970: 1_700_000_000)
    /// The clock the demo data is loaded on: after its history, so `history.json` is in the past.
    static let demoNow = Timestamp(iso8601: "2026-11-25T09:00:00Z")!

    /// The demo estate without `history.json`'s log, so a test's request log holds only what it
    /// sent (the history's own path through the store is tested in ``DemoDataTests``).
    static func demoEstate() throws -> Estate {
        let demo = try DemoData.load(from: demoFolder, now: demoNow)
        return Estate(ledger: Ledger(organisations: demo.ledger.organisations, certificates: demo.ledger.certificates), devices: demo.devices)
    }

    /// A fresh demo store in a scratch directory.
    func makeStore() throws -> (FileLayerTestDirectory, String) {
        let scratch = try FileLayerTestDirectory()
        let directory = scratch.file("store")
        try Store.create(at: directory, with: try StoreTests.demoEstate(), replacingExisting: false)
        return (scratch, directory)
    }

    /// Hands back the first `count` National Grid devices, one durable commit each.
    func handBack(_ count: Int, in directory: String) throws -> [RequestRecord] {
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        defer { store.close() }
        let filter = try DeviceFilter(parsing: "no=national-grid")
        let targets = store.estate.devices.filter { filter.matches($0, in: store.estate.ledger) }.prefix(count)
        var records: [RequestRecord] = []
        for device in targets {
            let change = try store.estate.evaluate(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: "national-grid", device: device.id, replacementCertificates: ["acb-ds", "acb-ka"])), now: Self.now)
            try store.commit(change)
            records.append(change.ledger.request)
        }
        return records
    }

    func read(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// A snapshot file's text with its body and log edited and the header's lengths and CRC-32Cs
    /// made to match: what a careful forger would write.
    func reframedSnapshot(_ text: String, lastSequence: UInt64, editing edit: (String) -> String) throws -> [UInt8] {
        let bodyMarker = try #require(text.range(of: ",\n\"body\":"))
        let logMarker = try #require(text.range(of: ",\n\"log\":"))
        let body = Array(edit(String(text[bodyMarker.upperBound..<logMarker.lowerBound])).utf8)
        let log = Array(edit(String(text[logMarker.upperBound...].dropLast(3))).utf8)  // the closing "\n}\n"
        let header = SnapshotFile.Header(
            format: SnapshotFile.format, schemaVersion: SnapshotFile.schemaVersion, lastSequence: lastSequence,
            bodyLength: body.count, crc32c: CRC32C.hex(CRC32C.checksum(body)),
            logLength: log.count, logCrc32c: CRC32C.hex(CRC32C.checksum(log)))
        return Array("{\"anchordesk-snapshot\":".utf8) + header.encoded() + Array(",\n\"body\":".utf8) + body
            + Array(",\n\"log\":".utf8) + log + Array("\n}\n".utf8)
    }
    func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    @Test func committedRequestsSurviveReopening() throws {
        let (scratch, directory) = try makeStore()
        defer { scratch.cleanUp() }
        let records = try handBack(3, in: directory)
        #expect(records.allSatisfy { $0.outcome == .succeeded })
        let reopened = try Store.open(at: directory, access: .readOnly)
        #expect(reopened.estate.ledger.requests == records)
        #expect(reopened.estate.ledger.recordedCounters.count == 3)
        #expect(reopened.warnings.isEmpty)
        for record in records {
            #expect(reopened.estate.devices[record.device]?.cells[.networkOperatorDS] == "acb-ds")
        }
        let journal = try read(directory + "/journal.jsonl")
        #expect(journal.filter { $0 == UInt8(ascii: "\n") }.count == 3)
        #expect(fileLayerPermissionBits(directory + "/journal.jsonl") == 0o600)
        #expect(fileLayerPermissionBits(directory + "/snapshot.json") == 0o600)
        #expect(fileLayerPermissionBits(directory) == 0o700)
    }

    @Test func aTornTailIsCutWithAWarningAndNothingEarlierIsLost() throws {
        let (scratch, directory) = try makeStore()
        defer { scratch.cleanUp() }
        let records = try handBack(2, in: directory)
        let journalPath = directory + "/journal.jsonl"
        let full = try read(journalPath)
        let secondStart = (full.dropLast().lastIndex(of: UInt8(ascii: "\n")) ?? 0) + 1
        for cut in [secondStart + 1, secondStart + 40, full.count - 1] {
            try write(Array(full[..<cut]), journalPath)
            let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
            #expect(store.estate.ledger.requests == [records[0]])
            #expect(store.warnings.count == 1)
            #expect(store.warnings.first?.contains("at byte \(secondStart)") == true)
            store.close()
            #expect(try read(journalPath).count == secondStart)
        }
    }

    @Test func aFlippedByteInTheJournalIsRefusedWithItsOffset() throws {
        let (scratch, directory) = try makeStore()
        defer { scratch.cleanUp() }
        _ = try handBack(3, in: directory)
        let journalPath = directory + "/journal.jsonl"
        var bytes = try read(journalPath)
        let secondStart = (bytes.firstIndex(of: UInt8(ascii: "\n")) ?? 0) + 1
        bytes[secondStart + 80] ^= 0x04
        try write(bytes, journalPath)
        let error = #expect(throws: StoreError.self) { try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1))) }
        #expect(error?.code == .corrupt)
        #expect(error?.offset == secondStart)
        #expect(try read(journalPath) == bytes, "a refused journal is never rewritten")
    }

    @Test func aFlippedByteInTheSnapshotIsRefused() throws {
        let (scratch, directory) = try makeStore()
        defer { scratch.cleanUp() }
        let snapshotPath = directory + "/snapshot.json"
        var bytes = try read(snapshotPath)
        bytes[bytes.count / 2] ^= 0x01
        try write(bytes, snapshotPath)
        let error = #expect(throws: StoreError.self) { try Store.open(at: directory, access: .readOnly) }
        #expect(error?.code == .corrupt)
        #expect(error?.path == snapshotPath)
        #expect(error?.offset != nil)
    }

    @Test func aNewerSchemaIsRefused() throws {
        let (scratch, directory) = try makeStore()
        defer { scratch.cleanUp() }
        let snapshotPath = directory + "/snapshot.json"
        let text = String(decoding: try read(snapshotPath), as: UTF8.self)
        let current = "\"schemaVersion\":\(SnapshotFile.schemaVersion)"
        #expect(text.contains(current))
        try write(Array(text.replacingOccurrences(of: current, with: "\"schemaVersion\":\(SnapshotFile.schemaVersion + 1)").utf8), snapshotPath)
        let error = #expect(throws: StoreError.self) { try Store.open(at: directory, access: .readOnly) }
        #expect(error?.code == .newerSchema)
    }

    @Test func aSecondWriterWaitsThenGivesUpNamingTheHolder() throws {
        let (scratch, directory) = try makeStore()
        defer { scratch.cleanUp() }
        let first = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        let error = #expect(throws: StoreError.self) {
            try Store.open(at: directory, access: .readWrite(lockTimeout: .milliseconds(100)))
        }
        #expect(error?.code == .locked)
        #expect(error?.message.contains("process \(getpid())") == true)
        // Readers are never blocked by a writer.
        #expect(try Store.open(at: directory, access: .readOnly).estate == first.estate)
        first.close()
        try Store.open(at: directory, access: .readWrite(lockTimeout: .milliseconds(100))).close()
    }

    @Test func compactionFoldsTheJournalAndAnInterruptedOneReplaysNothingTwice() throws {
        let (scratch, directory) = try makeStore()
        defer { scratch.cleanUp() }
        _ = try handBack(2, in: directory)
        let journalPath = directory + "/journal.jsonl"
        let journalBefore = try read(journalPath)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        let estate = store.estate
        try store.compact()
        store.close()
        #expect(try read(journalPath).isEmpty)
        #expect(try Store.open(at: directory, access: .readOnly).estate == estate)
        // As if the process died after renaming the snapshot but before emptying the journal.
        try write(journalBefore, journalPath)
        #expect(try Store.open(at: directory, access: .readOnly).estate == estate)
        _ = try handBack(1, in: directory)
        #expect(try Store.open(at: directory, access: .readOnly).estate.ledger.requests.count == 3)
    }

    @Test func creatingOverAnExistingStoreNeedsForce() throws {
        let (scratch, directory) = try makeStore()
        defer { scratch.cleanUp() }
        let estate = try StoreTests.demoEstate()
        let error = #expect(throws: StoreError.self) { try Store.create(at: directory, with: estate, replacingExisting: false) }
        #expect(error?.code == .alreadyExists)
        try Store.create(at: directory, with: estate, replacingExisting: true)
    }

    @Test func openingWhereNoStoreIsSaysSo() throws {
        let scratch = try FileLayerTestDirectory()
        defer { scratch.cleanUp() }
        let error = #expect(throws: StoreError.self) { try Store.open(at: scratch.file("none"), access: .readOnly) }
        #expect(error?.code == .notFound)
    }
}
