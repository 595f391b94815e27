import AnchorCore
@testable import AnchorStore

/// Snapshots as schemas up to 4 wrote them: one body holding the estate, its request log and
/// its audit chain. Stores made then must still open, and tests of the body's reader use it.
extension SnapshotCodec {
    /// A body holding everything, as schema 4 wrote it.
    static func encode(_ estate: Estate, audit: [AuditEntry] = []) -> [UInt8] {
        var writer = JSONWriter()
        writer.append(encoded: Array(encodeBody(estate).dropLast()))  // all but the closing `}`
        func rows<Row>(_ key: StaticString, _ rows: some Collection<Row>, _ write: (Row, inout JSONWriter) -> Void) {
            writer.raw(",\n\""); writer.raw(key); writer.raw("\":[")
            for (index, row) in rows.enumerated() {
                writer.raw(index == 0 ? "\n" : ",\n")
                write(row, &writer)
            }
            writer.raw("\n]")
        }
        rows("requests", estate.ledger.requests, LedgerRecordCoding.writeCompact)
        rows("audit", audit, AuditRowCoding.write)
        writer.raw("}")
        return writer.bytes
    }
}

/// Logs compared with the rows a test expects, in order.
extension RequestLog {
    static func == (log: RequestLog, rows: [RequestRecord]) -> Bool { Array(log) == rows }
    static func == (rows: [RequestRecord], log: RequestLog) -> Bool { Array(log) == rows }
}

extension AuditTrail {
    static func == (trail: AuditTrail, entries: [AuditEntry]) -> Bool { Array(trail) == entries }
}
