import AnchorCore
import Foundation
import Testing
@testable import AnchorStore

/// The snapshot's log (schema 5): request and audit rows stay on disk, found through
/// `snapshot.index`, which is derived, checked, and made again whenever it does not fit.
@Suite("Snapshot log: rows on disk, read through the index")
struct SnapshotLogTests {
    let support = StoreTests()

    /// A compacted store with four requests: three hand-backs, then a refused repeat of the first.
    func compactedStore() throws -> (FileLayerTestDirectory, String, [RequestRecord]) {
        let (scratch, directory) = try support.makeStore()
        var records = try support.handBack(3, in: directory)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        let repeated = try store.estate.evaluate(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: records[0].device, replacementCertificates: ["acb-ds", "acb-ka"])), now: StoreTests.now)
        try store.commit(repeated)
        records.append(repeated.ledger.request)
        try store.compact()
        #expect(store.estate.ledger.requests.recent.isEmpty, "after compaction the rows are read from the new snapshot")
        #expect(store.estate.ledger.requests == records)
        store.close()
        return (scratch, directory, records)
    }

    var indexName: String { SnapshotLogIndex.fileName }

    @Test func rowsReadThroughTheIndexAreTheRowsWritten() throws {
        let (scratch, directory, records) = try compactedStore()
        defer { scratch.cleanUp() }
        let store = try Store.open(at: directory, access: .readOnly)
        let ledger = store.estate.ledger
        #expect(ledger.requests.stored != nil && ledger.requests.recent.isEmpty)
        #expect(ledger.requests == records)
        #expect(store.warnings.isEmpty, "\(store.warnings)")
        let first = records[0].device
        #expect(ledger.requests(for: first) == [records[0], records[3]])
        #expect(ledger.lastRequest(for: first) == records[3])
        #expect(ledger.requests(for: records[1].device) == [records[1]])
        #expect(ledger.lastRequest(for: EUI64(rawValue: 1)) == nil)
        for record in records { #expect(ledger.hasUsed(requestId: record.requestId)) }
        #expect(!ledger.hasUsed(requestId: records[0].requestId + "0"))
        #expect(Array(store.auditTrail.map(\.sequence)) == [1, 2, 3, 4])
        #expect(try AuditVerifier.verify(directory: directory).entries == 4)
        #expect(try SnapshotIndexCheck.check(directory: directory) == .matches(requests: 4, audit: 4))
    }

    @Test func aReusedRequestIdIsRefusedFromTheStoredRows() throws {
        let (scratch, directory, records) = try compactedStore()
        defer { scratch.cleanUp() }
        let store = try Store.open(at: directory, access: .readOnly)
        let sender = try #require(store.estate.ledger.organisation("national-grid"))
        // The organisation's counter is forced back so the engine would reuse the first Request ID.
        var ledger = store.estate.ledger.assuming(lastCounter: OriginatorCounter(records[0].originatorCounter.value - 1), of: sender.id)
        var estate = store.estate
        swap(&estate.ledger, &ledger)
        let change = try estate.evaluate(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: records[0].device, replacementCertificates: ["acb-ds", "acb-ka"])), now: StoreTests.now)
        #expect(change.ledger.request.reason == .duplicateRequest)
    }

    @Test func compactionCopiesTheOlderRowsAndAddsTheNewOnes() throws {
        let (scratch, directory, records) = try compactedStore()
        defer { scratch.cleanUp() }
        let more = try support.handBack(5, in: directory).suffix(2)  // the first three are refused repeats now
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        let before = try support.read(directory + "/snapshot.json")
        try store.compact()
        store.close()
        let after = try support.read(directory + "/snapshot.json")
        let text = String(decoding: after, as: UTF8.self)
        let oldText = String(decoding: before, as: UTF8.self)
        let oldRows = try #require(oldText.range(of: "\"requests\":[\n")).upperBound
        let oldEnd = try #require(oldText.range(of: "\n],\n\"audit\"")).lowerBound
        #expect(text.contains(String(oldText[oldRows..<oldEnd]) + ",\n"), "the older rows are copied as they were")
        let reopened = try Store.open(at: directory, access: .readOnly)
        #expect(reopened.estate.ledger.requests.count == records.count + 5)
        #expect(Array(reopened.estate.ledger.requests.suffix(2)) == Array(more))
        #expect(try AuditVerifier.verify(directory: directory).entries == records.count + 5)
        #expect(try SnapshotIndexCheck.check(directory: directory) == .matches(requests: 9, audit: 9))
    }

    @Test func aMissingIndexIsMadeAgainAndAWriterSavesIt() throws {
        let (scratch, directory, records) = try compactedStore()
        defer { scratch.cleanUp() }
        let indexPath = directory + "/" + indexName
        try FileManager.default.removeItem(atPath: indexPath)
        #expect(try SnapshotIndexCheck.check(directory: directory) == .missing)
        let reader = try Store.open(at: directory, access: .readOnly)
        #expect(reader.estate.ledger.requests(for: records[0].device) == [records[0], records[3]])
        #expect(reader.warnings.contains { $0.contains("made again") && $0.contains("in memory only") })
        #expect(!FileManager.default.fileExists(atPath: indexPath), "a reader changes nothing")
        let writer = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        #expect(writer.warnings.contains { $0.contains("made again") && !$0.contains("in memory only") })
        writer.close()
        #expect(try SnapshotIndexCheck.check(directory: directory) == .matches(requests: 4, audit: 4))
        #expect(try Store.open(at: directory, access: .readOnly).warnings.isEmpty)
    }

    @Test("a stale or damaged index is made again", arguments: ["another log", "flipped byte", "cut short", "not an index"])
    func aStaleOrDamagedIndexIsMadeAgain(damage: String) throws {
        let (scratch, directory, records) = try compactedStore()
        defer { scratch.cleanUp() }
        let indexPath = directory + "/" + indexName
        var bytes = try support.read(indexPath)
        switch damage {
        case "another log":
            let (otherScratch, other) = try support.makeStore()
            defer { otherScratch.cleanUp() }
            bytes = try support.read(other + "/" + indexName)
        case "flipped byte": bytes[bytes.count - 20] ^= 0x40
        case "cut short": bytes.removeLast(8)
        default: bytes = Array("{\"requests\":[]}".utf8)
        }
        try support.write(bytes, indexPath)
        #expect(try SnapshotIndexCheck.check(directory: directory) == .stale)
        let store = try Store.open(at: directory, access: .readOnly)
        #expect(store.warnings.contains { $0.contains("made again") })
        #expect(store.estate.ledger.requests == records)
        #expect(store.estate.ledger.requests(for: records[0].device) == [records[0], records[3]])
    }

    /// An index written by hand over a store's log, its checksums made to match: what `change`
    /// does to the honest index's tables.
    func forgeIndex(_ directory: String, _ change: (inout SnapshotLogIndex.Rows) -> Void) throws {
        let log = try Self.log(directory)
        var rows = try log.withUnsafeBufferPointer { buffer throws(JSONReadError) in try SnapshotLogCodec.scan(buffer) }
        change(&rows)
        let forged = SnapshotLogIndex(rows: rows, logLength: log.count, logChecksum: CRC32C.checksum(log))
        try support.write(forged.fileBytes, directory + "/" + indexName)
    }

    @Test func anIndexThatFitsItsLogButLiesIsCaughtAndCannotMisplaceARow() throws {
        let (scratch, directory, records) = try compactedStore()
        defer { scratch.cleanUp() }
        // Every row filed under the first device.
        try forgeIndex(directory) { rows in rows.devices = rows.devices.map { _ in records[0].device.rawValue } }
        #expect(try SnapshotIndexCheck.check(directory: directory) == .wrong)
        let store = try Store.open(at: directory, access: .readOnly)
        #expect(store.estate.ledger.requests(for: records[0].device) == [records[0], records[3]], "rows are checked against the device asked for")
        #expect(store.estate.ledger.lastRequest(for: records[1].device) == nil, "the forged index hides a row, it cannot misplace one")
    }

    @Test func anIndexPointingOffARowIsMadeAgainWhenARowDoesNotRead() throws {
        let (scratch, directory, records) = try compactedStore()
        defer { scratch.cleanUp() }
        // The second row's start moved into its middle.
        try forgeIndex(directory) { rows in rows.requestStarts[1] += 5 }
        #expect(try SnapshotIndexCheck.check(directory: directory) == .wrong)
        let store = try Store.open(at: directory, access: .readOnly)
        #expect(store.estate.ledger.requests == records)
        #expect(store.estate.ledger.requests(for: records[1].device) == [records[1]])
    }

    @Test func anIndexPointingOutsideItsLogIsStale() throws {
        let (scratch, directory, records) = try compactedStore()
        defer { scratch.cleanUp() }
        try forgeIndex(directory) { rows in rows.requestStarts[2] += 1_000_000 }
        #expect(try SnapshotIndexCheck.check(directory: directory) == .stale)
        let store = try Store.open(at: directory, access: .readOnly)
        #expect(store.warnings.contains { $0.contains("made again") })
        #expect(store.estate.ledger.requests == records)
    }

    @Test func compactionMakesTheIndexFromTheLogNotFromTheOldIndex() throws {
        let (scratch, directory, records) = try compactedStore()
        defer { scratch.cleanUp() }
        // A hidden Request ID: the first row's hash changed.
        try forgeIndex(directory) { rows in rows.requestIdHashes[0] ^= 1 }
        #expect(try SnapshotIndexCheck.check(directory: directory) == .wrong)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        #expect(!store.estate.ledger.hasUsed(requestId: records[0].requestId), "a forged index can hide a row until it is made again")
        try store.compact()
        #expect(store.estate.ledger.hasUsed(requestId: records[0].requestId))
        store.close()
        #expect(try SnapshotIndexCheck.check(directory: directory) == .matches(requests: 4, audit: 4))
    }

    @Test func somethingOtherThanAFileWhereTheIndexGoesFailsTheCheck() throws {
        let (scratch, directory, records) = try compactedStore()
        defer { scratch.cleanUp() }
        let indexPath = directory + "/" + indexName
        try FileManager.default.removeItem(atPath: indexPath)
        try FileManager.default.createDirectory(atPath: indexPath, withIntermediateDirectories: false)
        let error = #expect(throws: StoreError.self) { try SnapshotIndexCheck.check(directory: directory) }
        #expect(error?.code == .corrupt && error?.message.contains("not a regular file") == true)
        #expect(try Store.open(at: directory, access: .readOnly).estate.ledger.requests == records, "readers make it in memory")
    }

    /// The log's bytes in a store's snapshot.
    static func log(_ directory: String) throws -> [UInt8] {
        let text = String(decoding: try StoreTests().read(directory + "/snapshot.json"), as: UTF8.self)
        let start = try #require(text.range(of: ",\n\"log\":")).upperBound
        return Array(text[start...].dropLast(3).utf8)
    }

    @Test func aChangedLogByteIsRefusedAtOpenWithItsOffset() throws {
        let (scratch, directory, _) = try compactedStore()
        defer { scratch.cleanUp() }
        let path = directory + "/snapshot.json"
        var bytes = try support.read(path)
        let text = String(decoding: bytes, as: UTF8.self)
        let logStart = text.utf8.distance(from: text.utf8.startIndex, to: try #require(text.range(of: ",\n\"log\":")).upperBound)
        let row = text.utf8.distance(from: text.utf8.startIndex, to: try #require(text.range(of: "not-authorised")).lowerBound)
        bytes[row] = UInt8(ascii: "m")
        try support.write(bytes, path)
        let error = #expect(throws: StoreError.self) { try Store.open(at: directory, access: .readOnly) }
        #expect(error?.code == .corrupt)
        #expect(error?.offset == logStart)
        #expect(error?.message.contains("CRC32C mismatch in the snapshot log") == true)
    }

    @Test func aSchemaFourSnapshotOpensWholeAndCompactionMovesItsRowsToTheLog() throws {
        let (scratch, directory, records) = try compactedStore()
        defer { scratch.cleanUp() }
        let store = try Store.open(at: directory, access: .readOnly)
        // Held in memory: the test then rewrites the snapshot in place, which the store never does.
        let ledger = store.estate.ledger
        let estate = Estate(ledger: Ledger(
            organisations: ledger.organisations, certificates: ledger.certificates, recordedCounters: ledger.recordedCounters,
            counterHistory: ledger.counterHistory, requestLog: RequestLog(Array(ledger.requests)), lifecycle: ledger.lifecycle,
            schedule: ledger.schedule, alerts: ledger.alerts), devices: DeviceTable(Array(store.estate.devices)))
        let trail = Array(store.auditTrail)
        // The file schema 4 wrote: requests and audit rows in the body, no log, no index.
        let body = SnapshotCodec.encode(estate, audit: trail)
        let header = SnapshotFile.Header(format: SnapshotFile.format, schemaVersion: 4, lastSequence: 4, bodyLength: body.count,
                                         crc32c: CRC32C.hex(CRC32C.checksum(body)))
        try support.write(Array("{\"anchordesk-snapshot\":".utf8) + header.encoded() + Array(",\n\"body\":".utf8) + body + Array("\n}\n".utf8),
                          directory + "/snapshot.json")
        try FileManager.default.removeItem(atPath: directory + "/" + indexName)
        #expect(try SnapshotIndexCheck.check(directory: directory) == .notNeeded)
        #expect(try AuditVerifier.verify(directory: directory).entries == 4)
        let old = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        #expect(old.estate.ledger.requests.stored == nil, "schema 4 is read whole")
        #expect(old.estate.ledger.requests == records && old.auditTrail == trail)
        #expect(old.warnings.isEmpty, "\(old.warnings)")
        try old.compact()
        old.close()
        let rewritten = try Store.open(at: directory, access: .readOnly)
        #expect(rewritten.estate.ledger.requests.stored != nil)
        #expect(rewritten.estate == estate && rewritten.auditTrail == trail)
        #expect(try AuditVerifier.verify(directory: directory).entries == 4)
    }

    @Test func aPreviewIsTheHeadOfTheStoreAndOlderBodiesGiveNone() throws {
        let (scratch, directory, _) = try compactedStore()
        defer { scratch.cleanUp() }
        let whole = try Store.open(at: directory, access: .readOnly).estate
        let preview = try #require(StorePreview.read(directory: directory, devices: 5))
        #expect(preview.deviceCount == whole.devices.count)
        #expect(Array(preview.estate.devices) == Array(whole.devices.prefix(5)))
        #expect(preview.estate.ledger.recordedCounters == whole.ledger.recordedCounters && !whole.ledger.recordedCounters.isEmpty)
        #expect(preview.estate.ledger.organisations == whole.ledger.organisations)
        // Schema 4 wrote the recorded counters after the devices: no preview rather than one without them.
        var text = String(decoding: SnapshotCodec.encodeBody(whole), as: UTF8.self)
        let recorded = try #require(text.range(of: ",\n\"recordedCounters\":{")).lowerBound..<(try #require(text.range(of: ",\n\"cellSets\":")).lowerBound)
        let member = String(text[recorded])
        text.removeSubrange(recorded)
        text.insert(contentsOf: member, at: text.index(before: text.endIndex))
        let body = Array(text.utf8)
        #expect(try body.withUnsafeBufferPointer { buffer throws(JSONReadError) in try SnapshotCodec.decode(buffer) }.ledger.recordedCounters
                == whole.ledger.recordedCounters, "the older order still reads whole")
        let header = SnapshotFile.Header(format: SnapshotFile.format, schemaVersion: 4, lastSequence: 4, bodyLength: body.count,
                                         crc32c: CRC32C.hex(CRC32C.checksum(body)))
        try support.write(Array("{\"anchordesk-snapshot\":".utf8) + header.encoded() + Array(",\n\"body\":".utf8) + body + Array("\n}\n".utf8),
                          directory + "/snapshot.json")
        #expect(StorePreview.read(directory: directory, devices: 5) == nil)
        #expect(StorePreview.read(directory: directory + "/missing", devices: 5) == nil)
    }
}
