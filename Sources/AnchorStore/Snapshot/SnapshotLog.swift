import AnchorCore
import Foundation

/// The snapshot's log, mapped: its request and audit rows, each read from the JSON when asked
/// for, found through ``SnapshotLogIndex``.
///
/// The log matched its CRC-32C when the store opened it and the index names that log. An
/// index that still points off a row (one written by hand, its checksum made to match) is made
/// again from the log, once, and the row read again; only a log that itself does not read, or
/// whose row count is not the index's, stops the process.
final class SnapshotLog: StoredRequestRows, @unchecked Sendable {
    private let mapping: FileMapping
    /// Where the log is in the snapshot file.
    let range: Range<Int>
    private let path: String
    private let lock = NSLock()
    private var current: SnapshotLogIndex

    init(mapping: FileMapping, range: Range<Int>, index: SnapshotLogIndex, path: String) {
        self.mapping = mapping
        self.range = range
        self.current = index
        self.path = path
    }

    /// The index rows are found through.
    var index: SnapshotLogIndex { lock.withLock { current } }

    /// The log's bytes.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: mapping.bytes[range]) }

    var count: Int { index.requestCount }
    /// How many audit rows the log holds.
    var auditCount: Int { index.auditCount }

    func record(at position: Int) -> RequestRecord {
        read({ $0.requestStart(position) }, LedgerRecordCoding.readCompactRequest)
    }

    /// The audit row at `position` (`0..<auditCount`).
    func auditEntry(at position: Int) -> AuditEntry {
        read({ $0.auditStart(position) }, AuditRowCoding.read)
    }

    func positions(of device: EUI64) -> [Int] {
        index.positions(ofDevice: device.rawValue)
    }

    func contains(requestId: String) -> Bool {
        index.positions(ofRequestIdHash: SnapshotLogIndex.requestIdHash(requestId)).contains { record(at: $0).requestId == requestId }
    }

    /// The same log: the same length and CRC-32C, each checked against its bytes when opened
    /// (a reload of an unchanged store maps the same snapshot again).
    func hasSameRows(as other: any StoredRequestRows) -> Bool {
        if other === self { return true }
        guard let other = other as? SnapshotLog else { return false }
        return other.count == count && other.index.logLength == index.logLength && other.index.logChecksum == index.logChecksum
    }

    /// Bytes of the file, for copying rows into the next snapshot as they are.
    func piece(_ rows: Range<Int>) -> FilePiece {
        .mapped(mapping, (range.lowerBound + rows.lowerBound)..<(range.lowerBound + rows.upperBound))
    }

    private func read<Row>(_ start: (SnapshotLogIndex) -> Int, _ parse: (inout JSONReader) throws(JSONReadError) -> Row) -> Row {
        let index = self.index
        if let row = row(at: start(index), parse) { return row }
        guard let row = row(at: start(remade(replacing: index)), parse) else {
            preconditionFailure("\(path): a log row does not read even through an index made from the log; run 'anchordesk store check'")
        }
        return row
    }

    private func row<Row>(at offset: Int, _ parse: (inout JSONReader) throws(JSONReadError) -> Row) -> Row? {
        guard offset < range.count else { return nil }
        var reader = JSONReader(bytes, startingAt: offset)
        return try? parse(&reader)
    }

    /// The index made again from the log, in place of `stale` (unless another thread already did).
    private func remade(replacing stale: SnapshotLogIndex) -> SnapshotLogIndex {
        lock.withLock {
            guard current.isSame(as: stale) else { return current }
            let rows: SnapshotLogIndex.Rows
            do throws(JSONReadError) {
                rows = try SnapshotLogCodec.scan(bytes)
            } catch {
                preconditionFailure("\(path): the log row at byte \(range.lowerBound + error.offset) does not read (\(error.message)); run 'anchordesk store check'")
            }
            let remade = SnapshotLogIndex(rows: rows, logLength: stale.logLength, logChecksum: stale.logChecksum)
            precondition(remade.requestCount == stale.requestCount && remade.auditCount == stale.auditCount,
                         "\(path): snapshot.index counts rows the log does not hold; delete it and open the store again")
            current = remade
            return remade
        }
    }
}
