import AnchorCore
import Testing
@testable import AnchorStore

/// Large log arrays are read on every core; the result, the recorded offsets and any error
/// must be those of reading one row at a time.
@Suite("Snapshot: large logs read on every core")
struct SnapshotRowsTests {
    static let count = SnapshotRows.parallelThreshold + 5_000

    static func contents() throws -> (Estate, [AuditEntry]) {
        let demo = try StoreTests.demoEstate()
        let sender = try #require(demo.ledger.organisation("national-grid"))
        var requests: [RequestRecord] = []
        var audit: [AuditEntry] = []
        var previous = AuditHash.genesis
        for number in 0..<count {
            let device = demo.devices[number % demo.devices.count].id
            let counter = OriginatorCounter(sender.lastCounter.value + UInt64(number) + 1)
            requests.append(RequestRecord(
                requestId: RequestEngine.requestId(originator: sender.entityId, device: device, counter: counter),
                service: .updateSecurityCredentials, device: device, requester: sender.id, originator: sender.id,
                originatorCounter: counter, outcome: .rejected, reason: .notAuthorised, detail: "row \(number), \"quoted\"\n",
                recordedCounter: nil, deviceFloor: nil, generatedCounter: nil, storedCounter: nil, legacyCounters: nil,
                certificates: ["acb-ds"], at: StoreTests.now))
            let hash = AuditChain.hash(sequence: UInt64(number + 1), kind: .request, previous: previous, canonical: Array("\(number)".utf8))
            audit.append(AuditEntry(sequence: UInt64(number + 1), kind: .request, position: number, previousHash: previous, hash: hash))
            previous = hash
        }
        let ledger = Ledger(organisations: demo.ledger.organisations, certificates: demo.ledger.certificates, requests: requests)
        return (Estate(ledger: ledger, devices: demo.devices), audit)
    }

    @Test func theRowsAndTheirOffsetsAreTheOnesWritten() throws {
        let (estate, audit) = try Self.contents()
        let bytes = SnapshotCodec.encode(estate, audit: audit)
        let decoded = try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
            try SnapshotCodec.decode(buffer, recordingOffsets: true)
        }
        #expect(decoded.estate.ledger.requests == estate.ledger.requests)
        #expect(decoded.audit == audit)
        let requestOffsets = try #require(decoded.offsets.rows[.request])
        #expect(requestOffsets.count == Self.count && decoded.offsets.audit.count == Self.count)
        for offset in [requestOffsets[0], requestOffsets[12_345], requestOffsets.last!, decoded.offsets.audit[7]] {
            #expect(bytes[offset] == UInt8(ascii: "[") && bytes[offset - 1] == UInt8(ascii: "\n"))
        }
    }

    @Test func theRequestArrayIsReadSideBySideAndABadRowFallsBack() throws {
        let (estate, audit) = try Self.contents()
        var bytes = SnapshotCodec.encode(estate, audit: audit)
        let key = Array("\"requests\":".utf8)
        let start = try #require(bytes.indices.first { bytes[$0...].starts(with: key) }) + key.count
        func readRows() throws -> (rows: [RequestRecord]?, end: Int) {
            try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
                var reader = JSONReader(buffer, startingAt: start)
                try reader.beginArray()
                let rows = SnapshotRows.readSideBySide(&reader, LedgerRecordCoding.readCompactRequest)?.0
                return (rows, reader.position)
            }
        }
        let read = try readRows()
        #expect(read.rows.map { $0 == estate.ledger.requests } == true)
        #expect(bytes[read.end - 1] == UInt8(ascii: "]") && bytes[read.end] == UInt8(ascii: ","))
        // A row that does not parse: nothing is consumed, the caller reads row by row.
        let row = try #require(bytes.indices.first { bytes[$0...].starts(with: Array("\"row 20000, ".utf8)) })
        bytes[row + 1] = 0x01
        let fallback = try readRows()
        #expect(fallback.rows == nil)
        #expect(fallback.end == start + 1)
    }

    @Test("a bad row is reported where a one-row-at-a-time read finds it", arguments: [0, 12_345, count - 1])
    func aBadRowIsNamedAtItsOffset(row: Int) throws {
        let (estate, audit) = try Self.contents()
        var text = String(decoding: SnapshotCodec.encode(estate, audit: audit), as: UTF8.self)
        let marker = "\"row \(row), "
        let range = try #require(text.range(of: marker))
        text.replaceSubrange(range, with: "\"row \(row)\u{01} ")
        let bytes = Array(text.utf8)
        let markerOffset = text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound)
        let failure = #expect(throws: JSONReadError.self) {
            try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in _ = try SnapshotCodec.decode(buffer, recordingOffsets: false) }
        }
        #expect(failure?.message.contains("control character") == true, "\(String(describing: failure))")
        #expect((markerOffset..<(markerOffset + marker.utf8.count + 2)).contains(failure?.offset ?? -1))
    }
}
