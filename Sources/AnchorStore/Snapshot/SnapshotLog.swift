import AnchorCore

/// The snapshot's log, mapped: its request and audit rows, each read from the JSON when asked
/// for, found through ``SnapshotLogIndex``.
///
/// The log matched its CRC-32C when the store opened it, and the index names that log, so a
/// row that does not read means a bug or a file changed in place under a running process.
final class SnapshotLog: StoredRequestRows {
    private let mapping: FileMapping
    /// Where the log is in the snapshot file.
    let range: Range<Int>
    let index: SnapshotLogIndex
    private let path: String

    init(mapping: FileMapping, range: Range<Int>, index: SnapshotLogIndex, path: String) {
        self.mapping = mapping
        self.range = range
        self.index = index
        self.path = path
    }

    /// The log's bytes.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: mapping.bytes[range]) }

    var count: Int { index.requestCount }
    /// How many audit rows the log holds.
    var auditCount: Int { index.auditCount }

    func record(at position: Int) -> RequestRecord {
        read(at: index.requestStart(position), LedgerRecordCoding.readCompactRequest)
    }

    /// The audit row at `position` (`0..<auditCount`).
    func auditEntry(at position: Int) -> AuditEntry {
        read(at: index.auditStart(position), AuditRowCoding.read)
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

    private func read<Row>(at offset: Int, _ parse: (inout JSONReader) throws(JSONReadError) -> Row) -> Row {
        precondition(offset < range.count, "\(path): the snapshot index names byte \(offset) of a \(range.count)-byte log")
        var reader = JSONReader(bytes, startingAt: offset)
        do {
            return try parse(&reader)
        } catch {
            preconditionFailure("\(path): the log row at byte \(range.lowerBound + offset) does not read (\(error.message)); run 'anchordesk store check'")
        }
    }
}
