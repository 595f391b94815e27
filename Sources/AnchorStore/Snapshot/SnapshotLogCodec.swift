import AnchorCore
import Foundation

/// The snapshot's log (schema 5): `{"requests":[` one request row a line `],\n"audit":[` one
/// audit row a line `]}`, the rows as ``SnapshotCodec`` wrote them in the body before.
///
/// Rows already in the snapshot being replaced are copied as they are, not written again; the
/// new snapshot's index is then made by reading its log (``scan(_:)``), never copied from the
/// old one.
enum SnapshotLogCodec {
    /// A log ready to write.
    struct Encoded {
        /// The log's bytes, in order.
        var pieces: [FilePiece] = []
        var length = 0
        var checksum: UInt32 = 0

        mutating func append(_ piece: FilePiece) {
            checksum = piece.withBytes { CRC32C.update(checksum, $0) }
            length += piece.count
            pieces.append(piece)
        }

        mutating func append(_ text: StaticString) {
            append(.bytes(Array(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))))
        }
    }

    static func encode(requests: RequestLog, audit: AuditTrail) -> Encoded {
        var log = Encoded()
        log.append("{\"requests\":[")
        let copied = requests.stored as? SnapshotLog
        append(copied.map { ($0, $0.index.requestRowsRange) }, then: copied == nil ? Array(requests) : requests.recent,
               to: &log, LedgerRecordCoding.writeCompact)
        log.append("],\n\"audit\":[")
        let (trailLog, recentEntries) = audit.parts
        append(trailLog.map { ($0, $0.index.auditRowsRange) }, then: recentEntries, to: &log, AuditRowCoding.write)
        log.append("]}")
        return log
    }

    /// Appends an array's rows (`\n` row `,\n` row … `\n`): the copied ones from an older log,
    /// as they are, then the new ones.
    private static func append<Row>(
        _ copied: (log: SnapshotLog, rows: Range<Int>)?, then rows: [Row], to log: inout Encoded,
        _ write: (Row, inout JSONWriter) -> Void
    ) {
        var any = false
        if let copied, !copied.rows.isEmpty {
            log.append(.bytes([UInt8(ascii: "\n")]))
            log.append(copied.log.piece(copied.rows))
            any = true
        }
        if !rows.isEmpty {
            var writer = JSONWriter(reservingCapacity: rows.count * 512)
            for row in rows {
                writer.raw(any ? ",\n" : "\n")
                any = true
                write(row, &writer)
            }
            log.append(.bytes(writer.bytes))
        }
        log.append(.bytes([UInt8(ascii: "\n")]))
    }

    /// Reads every row of a log, checking each, and returns what its index needs.
    /// - Throws: the first row that does not read, at its offset within the log.
    static func scan(_ log: UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> SnapshotLogIndex.Rows {
        var reader = JSONReader(log)
        var rows = SnapshotLogIndex.Rows(requestStarts: [], auditStarts: [], devices: [], requestIdHashes: [])
        try reader.beginObject()
        try expectKey("requests", &reader)
        let requests = try SnapshotRows.readArray(&reader) { (reader: inout JSONReader) throws(JSONReadError) -> (UInt64, UInt64) in
            let record = try LedgerRecordCoding.readCompactRequest(&reader)
            return (record.device.rawValue, SnapshotLogIndex.requestIdHash(record.requestId))
        }
        rows.requestStarts = starts(requests.starts, lastEnd: requests.lastEnd)
        rows.devices = requests.rows.map(\.0)
        rows.requestIdHashes = requests.rows.map(\.1)
        try expectKey("audit", &reader)
        let audit = try SnapshotRows.readArray(&reader) { (reader: inout JSONReader) throws(JSONReadError) -> Bool in
            _ = try AuditRowCoding.read(&reader)
            return true
        }
        rows.auditStarts = starts(audit.starts, lastEnd: audit.lastEnd)
        guard try reader.nextKey() == nil else { throw reader.error("the log holds more than requests and audit") }
        try reader.expectEnd()
        return rows
    }

    private static func expectKey(_ expected: String, _ reader: inout JSONReader) throws(JSONReadError) {
        let at = reader.position
        guard let key = try reader.nextKey(), key == expected else {
            throw JSONReadError(offset: at, message: "the log's next member must be \"\(expected)\"")
        }
    }

    /// Each row's start, then the end of the last row: the index's form.
    private static func starts(_ starts: [Int], lastEnd: Int) -> [UInt64] {
        starts.map(UInt64.init) + [UInt64(lastEnd)]
    }
}
