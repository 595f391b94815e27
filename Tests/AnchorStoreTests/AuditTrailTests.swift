import AnchorCore
import Foundation
import GPFSimulator
import Testing
@testable import AnchorStore

@Suite("Audit trail: hash chain across journal and snapshot")
struct AuditTrailTests {
    let support = StoreTests()

    /// A demo store with three hand-backs, a refused and a successful lifecycle action, and a Recovery Event.
    func busyStore() throws -> (FileLayerTestDirectory, String) {
        let (scratch, directory) = try support.makeStore()
        _ = try support.handBack(3, in: directory)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        defer { store.close() }
        for action in [OrganisationAction.cease, .subscribe] {
            let organisation = action == .cease ? "national-grid" : "northern-gas-networks"
            guard case .change(let change) = try OrganisationLifecycle.decide(action, organisation: organisation, estate: store.estate,
                                                                               now: StoreTests.now) else { continue }
            try store.commit(change)
        }
        let device = try #require(EUI64("00-DB-12-07-96-DC-E0-B1"))
        try store.commit(try store.estate.evaluate(.recovery(RecoveryRequest(
            device: device, replacementCertificates: ["acb-ds", "acb-ka"], newFloor: OriginatorCounter(7),
            reason: "PMA \"recovery\"\n\u{1B}[31m")), now: StoreTests.now))
        return (scratch, directory)
    }

    /// The journal's lines, each with its newline.
    func journalLines(_ directory: String) throws -> [[UInt8]] {
        try support.read(directory + "/journal.jsonl").split(separator: UInt8(ascii: "\n")).map { Array($0) + [UInt8(ascii: "\n")] }
    }

    /// Replaces one byte of a payload and writes a new, valid frame for it (a careful forger).
    func reframe(_ line: [UInt8], replacing old: String, with new: String) throws -> [UInt8] {
        let text = String(decoding: line, as: UTF8.self)
        let start = try #require(text.range(of: "\"record\":")?.upperBound)
        let payload = String(text[start...].dropLast(2))  // `}` of the frame and the newline
        let changed = payload.replacingOccurrences(of: old, with: new)
        #expect(changed != payload && changed.utf8.count == payload.utf8.count)
        return try JournalFrame.encode(Array(changed.utf8))
    }

    @Test func theChainLinksEveryEntryAndSurvivesReopeningAndCompaction() throws {
        let (scratch, directory) = try busyStore()
        defer { scratch.cleanUp() }
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        let trail = store.auditTrail
        #expect(trail.map(\.sequence) == [1, 2, 3, 4, 5, 6])
        #expect(trail.map(\.kind) == [.request, .request, .request, .lifecycle, .lifecycle, .request])
        #expect(trail.map(\.position) == [0, 1, 2, 0, 1, 3])
        #expect(trail.first?.previousHash == .genesis)
        #expect(zip(trail, trail.dropFirst()).allSatisfy { $0.hash == $1.previousHash })
        let before = try AuditVerifier.verify(directory: directory)
        #expect(before.entries == 6 && before.unaudited == 0 && before.head?.hash == trail.last?.hash)

        try store.compact()
        store.close()
        #expect(try support.read(directory + "/journal.jsonl").isEmpty)
        let reopened = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        #expect(reopened.auditTrail == trail)
        #expect(reopened.estate.ledger.lifecycle.count == 2)
        #expect(reopened.estate.ledger.requests.last?.recovery?.reason == "PMA \"recovery\"\n\u{1B}[31m")
        // New entries chain on from the compacted ones.
        reopened.close()
        _ = try support.handBack(1, in: directory)
        let after = try AuditVerifier.verify(directory: directory)
        #expect(after.entries == 7)
        let last = try Store.open(at: directory, access: .readOnly).auditTrail
        #expect(last.last?.previousHash == trail.last?.hash)
    }

    @Test func aForgedJournalRecordWithAValidChecksumFailsAtThatEntry() throws {
        let (scratch, directory) = try busyStore()
        defer { scratch.cleanUp() }
        var lines = try journalLines(directory)
        let offset = lines[..<1].reduce(0) { $0 + $1.count }
        lines[1] = try reframe(lines[1], replacing: "the device replaced 2", with: "the device replaced 3")
        try support.write(lines.flatMap { $0 }, directory + "/journal.jsonl")
        let failure = #expect(throws: AuditFailure.self) { try AuditVerifier.verify(directory: directory) }
        #expect(failure?.sequence == 2)
        #expect(failure?.offset == offset)
        #expect(failure?.path.hasSuffix("journal.jsonl") == true)
        #expect(failure?.problem.contains("altered") == true)
    }

    @Test func aChangedByteFailsAtThatEntryEvenWhereTheStoreWouldNotOpen() throws {
        let (scratch, directory) = try busyStore()
        defer { scratch.cleanUp() }
        var bytes = try support.read(directory + "/journal.jsonl")
        let lines = try journalLines(directory)
        let offset = lines[..<3].reduce(0) { $0 + $1.count }
        let target = offset + lines[3].count / 2
        bytes[target] = bytes[target] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        try support.write(bytes, directory + "/journal.jsonl")
        let failure = #expect(throws: AuditFailure.self) { try AuditVerifier.verify(directory: directory) }
        #expect(failure?.sequence == 4)
        #expect(failure?.offset == offset)
    }

    @Test func removedAndReorderedEntriesAreFound() throws {
        let (scratch, directory) = try busyStore()
        defer { scratch.cleanUp() }
        let lines = try journalLines(directory)
        try support.write((lines[..<2] + lines[3...]).flatMap { $0 }, directory + "/journal.jsonl")
        let removed = #expect(throws: AuditFailure.self) { try AuditVerifier.verify(directory: directory) }
        #expect(removed?.sequence == 4)
        #expect(removed?.offset == lines[0].count + lines[1].count)

        var swapped = lines
        swapped.swapAt(2, 3)
        try support.write(swapped.flatMap { $0 }, directory + "/journal.jsonl")
        let reordered = #expect(throws: AuditFailure.self) { try AuditVerifier.verify(directory: directory) }
        #expect(reordered?.sequence == 4)
    }

    @Test func anAlteredSnapshotRowFailsAtItsEntryWithTheRowsOffset() throws {
        let (scratch, directory) = try busyStore()
        defer { scratch.cleanUp() }
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        try store.compact()
        store.close()
        let path = directory + "/snapshot.json"
        let text = String(decoding: try support.read(path), as: UTF8.self)
        let row = try #require(text.range(of: "{\"action\":\"subscribe\""))
        let rowOffset = text.utf8.distance(from: text.utf8.startIndex, to: row.lowerBound)
        // A careful forger also fixes the body's checksum (and keeps its length).
        try support.write(try support.reframedSnapshot(text, lastSequence: 6) {
            $0.replacingOccurrences(of: "\"organisation\":\"northern-gas-networks\"", with: "\"organisation\":\"northern-gas-networkz\"")
        }, path)
        let failure = #expect(throws: AuditFailure.self) { try AuditVerifier.verify(directory: directory) }
        #expect(failure?.sequence == 5)
        #expect(failure?.path == path)
        #expect(failure?.offset == rowOffset)
    }

    /// The snapshot's hashes are recomputed on every core in chunks; the first altered row in
    /// sequence order is still the one named, wherever the chunks fall.
    @Test("the first altered row is named, however many rows", arguments: [[2_900], [1_200, 2_900], [7, 2_900]])
    func theFirstAlteredRowOfManyIsNamed(altered: [Int]) throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        let sender = try #require(store.estate.ledger.organisation("national-grid"))
        let devices = store.estate.devices
        for number in 0..<3_000 {
            let counter = OriginatorCounter(sender.lastCounter.value + UInt64(number) + 1)
            let device = devices[number % devices.count].id
            let record = RequestRecord(
                requestId: RequestEngine.requestId(originator: sender.entityId, device: device, counter: counter),
                service: .updateSecurityCredentials, device: device, requester: sender.id, originator: sender.id,
                originatorCounter: counter, outcome: .rejected, reason: .notAuthorised, detail: "row \(100_000 + number)",
                recordedCounter: nil, deviceFloor: nil, generatedCounter: nil, storedCounter: nil, legacyCounters: nil,
                certificates: ["acb-ds"], at: StoreTests.now)
            try store.stage(EstateChange(ledger: LedgerChange(request: record, organisationCounters: [sender.id: counter], recorded: nil), device: nil))
        }
        try store.flush()
        try store.compact()
        store.close()
        #expect(try AuditVerifier.verify(directory: directory).entries == 3_000)

        let path = directory + "/snapshot.json"
        let text = String(decoding: try support.read(path), as: UTF8.self)
        try support.write(try support.reframedSnapshot(text, lastSequence: 3_000) { body in
            altered.reduce(body) { $0.replacingOccurrences(of: "\"row \(100_000 + $1)\"", with: "\"row \(900_000 + $1)\"") }
        }, path)
        let failure = #expect(throws: AuditFailure.self) { try AuditVerifier.verify(directory: directory) }
        #expect(failure?.sequence == UInt64(altered[0] + 1))
        #expect(failure?.problem.contains("does not match its hash") == true)
    }

    @Test func exportLinesCarryTheBytesTheHashCovers() throws {
        let (scratch, directory) = try busyStore()
        defer { scratch.cleanUp() }
        let store = try Store.open(at: directory, access: .readOnly)
        var lines: [String] = []
        store.exportAuditTrail { lines.append($0) }
        #expect(lines.count == 6)
        for (line, entry) in zip(lines, store.auditTrail) {
            #expect(!line.contains("\n"))
            let record = try #require(line.range(of: ",\"record\":"))
            let canonical = Array(line[record.upperBound...].dropLast().utf8)
            #expect(AuditChain.hash(sequence: entry.sequence, kind: entry.kind, previous: entry.previousHash, canonical: canonical) == entry.hash)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["hash"] as? String == entry.hash.description)
        }
    }
}

