import AnchorCore
import Foundation
import GPFSimulator
import Testing
@testable import AnchorStore
#if canImport(Glibc)
import Glibc
#endif

@Suite("Reliability: torn tails, failed writes, interrupted compaction, locks, permissions")
struct StoreReliabilityTests {
    let helper = StoreTests()

    func read(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
    func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// One hand-back of the first National Grid device not yet handed back.
    func nextHandBack(_ store: Store) throws -> EstateChange {
        let filter = try DeviceFilter(parsing: "no=national-grid")
        let device = try #require(store.estate.devices.first { filter.matches($0, in: store.estate.ledger) })
        return try store.estate.evaluate(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: device.id, replacementCertificates: ["acb-ds", "acb-ka"])), now: StoreTests.now)
    }

    @Test func aCutAtEveryByteOfTheLastRecordLosesOnlyThatRecordAndKeepsItsBytes() throws {
        let (scratch, directory) = try helper.makeStore()
        defer { scratch.cleanUp() }
        let records = try helper.handBack(2, in: directory)
        let journalPath = directory + "/journal.jsonl"
        let full = try read(journalPath)
        let lastStart = (full.dropLast().lastIndex(of: UInt8(ascii: "\n")) ?? 0) + 1
        for cut in lastStart..<full.count {
            try write(Array(full[..<cut]), journalPath)
            let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
            #expect(store.estate.ledger.requests == [records[0]], "cut at \(cut)")
            if cut > lastStart {
                #expect(store.warnings.contains { $0.contains("at byte \(lastStart)") }, "cut at \(cut)")
                #expect(try read(directory + "/journal.jsonl.torn-\(lastStart)") == Array(full[lastStart..<cut]))
            } else {
                #expect(store.warnings.isEmpty)
            }
            store.close()
            #expect(try read(journalPath).count == lastStart)
            try? FileManager.default.removeItem(atPath: directory + "/journal.jsonl.torn-\(lastStart)")
        }
        // The whole journal back: both records.
        try write(full, journalPath)
        #expect(try Store.open(at: directory, access: .readOnly).estate.ledger.requests == records)
    }

    @Test func aTornSectorOfZeroBytesIsATornTail() throws {
        let (scratch, directory) = try helper.makeStore()
        defer { scratch.cleanUp() }
        let records = try helper.handBack(1, in: directory)
        let journalPath = directory + "/journal.jsonl"
        let good = try read(journalPath)
        try write(good + [UInt8](repeating: 0, count: 512), journalPath)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        defer { store.close() }
        #expect(store.estate.ledger.requests == records)
        #expect(store.warnings.count == 1)
        #expect(try read(journalPath) == good)
    }

    @Test func aFailedFsyncIsNeverAcknowledgedAndStopsTheWriter() throws {
        let (scratch, directory) = try helper.makeStore()
        defer { scratch.cleanUp() }
        let acknowledged = try helper.handBack(1, in: directory)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        let before = store.estate
        var syncs = 0
        store.journalForTesting?.sync = { _ in syncs += 1; return EIO }
        let change = try nextHandBack(store)
        let error = #expect(throws: StoreError.self) { try store.commit(change) }
        #expect(error?.code == .io)
        #expect(error?.errno == EIO)
        #expect(store.estate == before, "nothing is applied that was not durable")
        // The writer stops: no retry of the fsync, no further work.
        #expect(throws: StoreError.self) { try store.commit(change) }
        #expect(syncs == 1, "a failed fsync is never retried")
        store.close()
        // The next open recovers from what is on disk, with everything acknowledged.
        let reopened = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        defer { reopened.close() }
        #expect(Array(reopened.estate.ledger.requests.prefix(1)) == acknowledged)
    }

    @Test func aFullDiskAcknowledgesNothingAndLeavesTheStoreUsable() throws {
        let (scratch, directory) = try helper.makeStore()
        defer { scratch.cleanUp() }
        let acknowledged = try helper.handBack(1, in: directory)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        // Half the record reaches the disk, then ENOSPC: a torn tail, as on a real full disk.
        store.journalForTesting?.writeAll = { descriptor, bytes in
            _ = FileIO.writeAll(descriptor, Array(bytes.prefix(bytes.count / 2)))
            return ENOSPC
        }
        let error = #expect(throws: StoreError.self) { try store.commit(try nextHandBack(store)) }
        #expect(error?.errno == ENOSPC)
        #expect(error?.message.contains("free some disk space") == true)
        store.close()
        let reopened = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        #expect(reopened.estate.ledger.requests == acknowledged)
        #expect(reopened.warnings.contains { $0.contains("removed an unfinished record") })
        // Usable again once there is space.
        try reopened.commit(try nextHandBack(reopened))
        reopened.close()
        #expect(try Store.open(at: directory, access: .readOnly).estate.ledger.requests.count == 2)
    }

    @Test func aFailedGroupFlushReportsNoneOfTheGroup() throws {
        let (scratch, directory) = try helper.makeStore()
        defer { scratch.cleanUp() }
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        for _ in 0..<3 { try store.stage(try nextHandBack(store)) }
        store.journalForTesting?.sync = { _ in EIO }
        #expect(throws: StoreError.self) { try store.flush() }
        #expect(throws: StoreError.self) { try store.stage(try nextHandBack(store)) }
        store.close()
        // On disk: all three lines were written before the fsync failed, and they are complete.
        // What a real crash keeps of unsynced data is up to the kernel; the store only promises
        // that nothing was reported before fsync, and that it opens again.
        #expect(throws: Never.self) { try Store.open(at: directory, access: .readOnly) }
    }

    @Test func aCompactionKilledAtAnyStepLeavesAStoreThatOpens() throws {
        let (scratch, directory) = try helper.makeStore()
        defer { scratch.cleanUp() }
        let records = try helper.handBack(3, in: directory)
        let journalPath = directory + "/journal.jsonl"
        let snapshotPath = directory + "/snapshot.json"
        let journal = try read(journalPath)
        let oldSnapshot = try read(snapshotPath)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        try store.compact()
        store.close()
        let newSnapshot = try read(snapshotPath)

        // Step 1: killed while writing the temporary file (partial) or after its fsync (complete).
        for temporary in [Array(newSnapshot.prefix(newSnapshot.count / 3)), newSnapshot] {
            try write(oldSnapshot, snapshotPath)
            try write(journal, journalPath)
            try write(temporary, snapshotPath + ".tmp-4242")
            #expect(try Store.open(at: directory, access: .readOnly).estate.ledger.requests == records)
            let writer = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
            #expect(writer.estate.ledger.requests == records)
            #expect(writer.warnings.contains { $0.contains("snapshot.json.tmp-4242") })
            writer.close()
            #expect(!FileManager.default.fileExists(atPath: snapshotPath + ".tmp-4242"))
        }
        // Step 2: killed after the rename (with or without the directory fsync), before the journal was emptied.
        try write(newSnapshot, snapshotPath)
        try write(journal, journalPath)
        #expect(try Store.open(at: directory, access: .readOnly).estate.ledger.requests == records)
        // Step 3: killed after the journal was emptied: the finished state.
        try write([], journalPath)
        #expect(try Store.open(at: directory, access: .readOnly).estate.ledger.requests == records)
    }

    @Test func aLockLeftByADeadWriterIsDetected() throws {
        let (scratch, directory) = try helper.makeStore()
        defer { scratch.cleanUp() }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        try write(Array("pid \(finished.processIdentifier)\n".utf8), directory + "/lock")
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .milliseconds(200)))
        #expect(store.warnings.contains { $0.contains("process \(finished.processIdentifier)") })
        store.close()
        // A clean close leaves no pid behind, so the next writer says nothing.
        let next = try Store.open(at: directory, access: .readWrite(lockTimeout: .milliseconds(200)))
        #expect(next.warnings.isEmpty)
        next.close()
    }

    @Test func aStoreReadableByOthersIsWarnedAbout() throws {
        let (scratch, directory) = try helper.makeStore()
        defer { scratch.cleanUp() }
        chmod(directory, 0o755)
        chmod(directory + "/snapshot.json", 0o644)
        let store = try Store.open(at: directory, access: .readOnly)
        #expect(store.warnings.count == 2)
        #expect(store.warnings.allSatisfy { $0.contains("readable by others") })
    }
}
