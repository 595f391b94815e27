import AnchorCore
import Foundation

/// What `audit verify` checks of a snapshot, in order: its audit entries, whether each one's
/// hash is the one its row gives, and where every row is.
///
/// A schema-5 snapshot's log is read straight from its bytes on every core: each audit row, and
/// the request row it names, are parsed, hashed and dropped, so a million entries cost no more
/// memory than the entries themselves. Anything irregular (a row that does not read, a layout
/// other than one row a line, an older schema) is read the whole way instead, which names the
/// exact problem and offset.
struct SnapshotAuditRows {
    var entries: [AuditEntry]
    /// For each entry, whether its stored hash is the one its row gives (`false` when the row is missing).
    var hashMatches: [Bool]
    /// How many rows each kind's log holds.
    var rowCounts: [AuditEntry.Kind: Int]
    /// Where each row starts in the file, by kind.
    var rowOffsets: [AuditEntry.Kind: [Int]]
    /// Where each audit row starts in the file.
    var auditOffsets: [Int]
    /// Whether the body and log matched their CRC-32Cs.
    var checksumMatches: Bool
    var lastSequence: UInt64
    var bodyStart: Int

    /// Reads the snapshot at `path` for checking.
    static func read(path: String) throws(StoreError) -> SnapshotAuditRows {
        let mapping = try FileMapping(path: path, populate: true)
        let bytes = mapping.bytes
        return try withExtendedLifetime(mapping) { () throws(StoreError) -> SnapshotAuditRows in
            let layout = try SnapshotFile.locate(bytes, path: path)
            if let streamed = try streamed(bytes, layout: layout, path: path) { return streamed }
            let loaded = try SnapshotFile.read(bytes, layout: layout, path: path, forAudit: true)
            let ledger = loaded.contents.estate.ledger
            return SnapshotAuditRows(
                entries: Array(loaded.contents.audit), hashMatches: SnapshotHashCheck.matches(loaded.contents.audit, in: ledger),
                rowCounts: Dictionary(uniqueKeysWithValues: AuditEntry.Kind.allCases.map { ($0, AuditChain.rows($0, in: ledger)) }),
                rowOffsets: loaded.contents.offsets.rows, auditOffsets: loaded.contents.offsets.audit,
                checksumMatches: loaded.checksumMatches, lastSequence: layout.header.lastSequence, bodyStart: layout.body.lowerBound)
        }
    }

    /// The schema-5 log read row by row on every core, or `nil` when anything is irregular.
    private static func streamed(_ bytes: UnsafeBufferPointer<UInt8>, layout: SnapshotFile.Layout, path: String) throws(StoreError) -> SnapshotAuditRows? {
        guard let logRange = layout.log else { return nil }
        let file = SnapshotRows.Document(bytes: bytes)
        let checksums = concurrentMap(count: 2, workers: 2) { part in
            CRC32C.update(0, UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: file.bytes[part == 0 ? layout.body : logRange])))
        }
        var parts = SnapshotCodec.Parts()
        do throws(JSONReadError) {
            try SnapshotCodec.decode(UnsafeBufferPointer(rebasing: bytes[layout.body]), recordingOffsets: true,
                                     offsetBase: layout.body.lowerBound, into: &parts)
        } catch {
            throw StoreError.corrupt(path: path, offset: layout.body.lowerBound + error.offset, reason: error.message)
        }
        let log = UnsafeBufferPointer(rebasing: bytes[logRange])
        guard let (requestRows, auditRows) = try? rowRanges(log) else { return nil }
        let ledger = parts.contents().estate.ledger
        let document = SnapshotRows.Document(bytes: log)
        let checked = concurrentMap(count: auditRows.count, workers: ProcessInfo.processInfo.activeProcessorCount) { index -> (AuditEntry, Bool)? in
            guard let entry = SnapshotRows.row(auditRows[index], in: document, AuditRowCoding.read) else { return nil }
            let canonical: [UInt8]?
            if entry.kind == .request {
                guard requestRows.indices.contains(entry.position) else { return (entry, false) }
                guard let record = SnapshotRows.row(requestRows[entry.position], in: document, LedgerRecordCoding.readCompactRequest) else { return nil }
                canonical = AuditChain.canonical(record)
            } else {
                canonical = AuditChain.canonical(entry.kind, position: entry.position, in: ledger)
            }
            guard let canonical else { return (entry, false) }
            return (entry, AuditChain.hash(sequence: entry.sequence, kind: entry.kind, previous: entry.previousHash, canonical: canonical) == entry.hash)
        }
        var entries: [AuditEntry] = [], hashMatches: [Bool] = []
        entries.reserveCapacity(checked.count)
        hashMatches.reserveCapacity(checked.count)
        for result in checked {
            guard let (entry, matches) = result else { return nil }
            entries.append(entry)
            hashMatches.append(matches)
        }
        // Request rows no entry names (older than the audit trail) must read too.
        var named = [Bool](repeating: false, count: requestRows.count)
        for entry in entries where entry.kind == .request && named.indices.contains(entry.position) { named[entry.position] = true }
        let unnamed = requestRows.indices.filter { !named[$0] }
        let unnamedRead = concurrentMap(count: unnamed.count, workers: ProcessInfo.processInfo.activeProcessorCount) { index in
            SnapshotRows.row(requestRows[unnamed[index]], in: document, LedgerRecordCoding.readCompactRequest) != nil
        }
        guard !unnamedRead.contains(false) else { return nil }

        var rowCounts = Dictionary(uniqueKeysWithValues: AuditEntry.Kind.allCases.map { ($0, AuditChain.rows($0, in: ledger)) })
        rowCounts[.request] = requestRows.count
        var rowOffsets = parts.offsets.rows
        rowOffsets[.request] = requestRows.map { logRange.lowerBound + $0.lowerBound }
        return SnapshotAuditRows(
            entries: entries, hashMatches: hashMatches, rowCounts: rowCounts, rowOffsets: rowOffsets,
            auditOffsets: auditRows.map { logRange.lowerBound + $0.lowerBound },
            checksumMatches: CRC32C.hex(checksums[0]) == layout.header.crc32c && CRC32C.hex(checksums[1]) == layout.header.logCrc32c,
            lastSequence: layout.header.lastSequence, bodyStart: layout.body.lowerBound)
    }

    /// The request and audit rows' byte ranges in a log of the store's one-row-a-line layout.
    private static func rowRanges(_ log: UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> ([Range<Int>], [Range<Int>])? {
        var reader = JSONReader(log)
        var found: [[Range<Int>]] = []
        try reader.beginObject()
        for expected in ["requests", "audit"] {
            guard try reader.nextKey() == expected else { return nil }
            try reader.beginArray()
            guard let (rows, end) = SnapshotRows.rowRanges(in: log, from: reader.position) else { return nil }
            reader.finishArray(at: end)
            found.append(rows)
        }
        guard try reader.nextKey() == nil else { return nil }
        try reader.expectEnd()
        return (found[0], found[1])
    }
}
