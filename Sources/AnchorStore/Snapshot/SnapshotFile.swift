import AnchorCore

/// The snapshot file: one JSON document whose members are the header, the body (the estate,
/// ``SnapshotCodec``) and the log (the request and audit rows, ``SnapshotLogCodec``):
/// ```
/// {"anchordesk-snapshot":{"bodyLength":52713,"crc32c":"1c2d3e4f","lastSequence":"12","logCrc32c":"5a6b7c8d","logLength":918,"schemaVersion":5},
/// "body":{"organisations":[ ...one per line... ], ... "devices":[ ...one row per line... ], ...},
/// "log":{"requests":[ ...one row per line... ],
/// "audit":[ ...one row per line... ]}
/// }
/// ```
/// The header carries the schema version, the last journal sequence folded in, and the body's
/// and the log's lengths and CRC-32Cs: each is the bytes from its `{` to its `}`, so a damaged
/// snapshot is refused rather than loaded. Opening reads the body and only checks the log; its
/// rows are read when asked for, through ``SnapshotLogIndex``.
/// Schema 4 kept the requests and audit rows in the body and had no log; schemas 1 to 3 wrote
/// the header as a line of its own, `{"bodyLength":…,"format":"anchordesk-snapshot",…}`,
/// followed by the body and a newline. They still open, and the next compaction rewrites them.
enum SnapshotFile {
    /// The schema this build writes and the newest it reads. Version 2 added the lifecycle
    /// log, the audit chain and Recovery Event details; version 3 the schedule log, the alerts
    /// and devices' pending commands; version 4 made the file one JSON document; version 5 moved
    /// the request and audit rows into a log of their own. Older snapshots read as having none
    /// of what came later.
    static let schemaVersion = 5
    static let format = "anchordesk-snapshot"
    /// What a schema-4 file starts with, and what comes between the header and the body.
    private static let documentStart = Array("{\"\(format)\":".utf8)
    private static let bodyKey = Array(",\n\"body\":".utf8)
    private static let logKey = Array(",\n\"log\":".utf8)
    private static let documentEnd = Array("\n}\n".utf8)

    struct Header {
        var format: String
        var schemaVersion: Int
        var lastSequence: UInt64
        var bodyLength: Int
        var crc32c: String
        /// The log's length and CRC-32C (schema 5 on).
        var logLength: Int?
        var logCrc32c: String?

        /// The header object: `{"bodyLength":…,"crc32c":…,"lastSequence":…,"schemaVersion":…}`.
        func encoded() -> [UInt8] {
            var writer = JSONWriter()
            writer.raw("{\"bodyLength\":"); writer.number(bodyLength)
            writer.raw(",\"crc32c\":"); writer.string(crc32c)
            writer.raw(",\"lastSequence\":"); writer.decimalString(lastSequence)
            if let logCrc32c, let logLength {
                writer.raw(",\"logCrc32c\":"); writer.string(logCrc32c)
                writer.raw(",\"logLength\":"); writer.number(logLength)
            }
            writer.raw(",\"schemaVersion\":"); writer.number(schemaVersion)
            writer.byte(UInt8(ascii: "}"))
            return writer.bytes
        }

        /// Reads a header object; `format` is required in the old header line, implied by the key in schema 4.
        static func decode(_ buffer: UnsafeBufferPointer<UInt8>, requiringFormat: Bool) throws(JSONReadError) -> Header {
            do {
                var reader = JSONReader(buffer)
                var header = Header(format: requiringFormat ? "" : SnapshotFile.format, schemaVersion: -1, lastSequence: 0, bodyLength: -1, crc32c: "")
                try reader.beginObject()
                while let key = try reader.nextKey() {
                    switch key {
                    case "bodyLength": header.bodyLength = try reader.readInt()
                    case "crc32c": header.crc32c = try reader.readString()
                    case "format" where requiringFormat: header.format = try reader.readString()
                    case "lastSequence": header.lastSequence = try reader.readDecimalString()
                    case "logCrc32c" where !requiringFormat: header.logCrc32c = try reader.readString()
                    case "logLength" where !requiringFormat: header.logLength = try reader.readInt()
                    case "schemaVersion": header.schemaVersion = try reader.readInt()
                    default: throw reader.unknownKey(key, in: "the snapshot header")
                    }
                }
                try reader.expectEnd()
                guard header.bodyLength >= 0, header.schemaVersion >= 0, (header.logLength ?? 0) >= 0,
                      (header.logLength == nil) == (header.logCrc32c == nil),
                      (header.logLength != nil) == (header.schemaVersion >= 5)
                else { throw reader.error("incomplete snapshot header") }
                return header
            }
        }
    }



    /// Where a snapshot's parts are in its file.
    struct Layout {
        var header: Header
        var body: Range<Int>
        /// The log (schema 5 on); before it, the requests and audit rows are in the body.
        var log: Range<Int>?
    }

    /// Writes the estate and its audit chain atomically (temporary file, fsync, rename,
    /// directory fsync), then its log's index and its devices' index beside it.
    /// - Returns: the file's size, its log mapped, to read the rows from from now on, and its
    ///   device rows, when they could be indexed.
    @discardableResult
    static func write(_ estate: Estate, audit: AuditTrail = AuditTrail(), lastSequence: UInt64, to path: String)
        throws(StoreError) -> (size: Int, log: SnapshotLog, devices: SnapshotDeviceRows?)
    {
        let (body, rows, bodyChecksum, log) = encode(estate, audit: audit)
        let header = Header(
            format: format, schemaVersion: schemaVersion, lastSequence: lastSequence, bodyLength: body.count,
            crc32c: CRC32C.hex(bodyChecksum), logLength: log.length, logCrc32c: CRC32C.hex(log.checksum))
        let start = documentStart + header.encoded() + bodyKey
        try AtomicFile.write(pieces: [.bytes(start), .bytes(body), .bytes(logKey)] + log.pieces + [.bytes(documentEnd)], to: path)
        let logStart = start.count + body.count + logKey.count
        let size = logStart + log.length + documentEnd.count

        // The index is made from the log as written, so nothing of the old index is carried over.
        let mapping = try FileMapping(path: path)
        let logRange = logStart..<(logStart + log.length)
        let (index, _) = try logIndex(UnsafeBufferPointer(rebasing: mapping.bytes[logRange]), at: logStart, checksum: log.checksum,
                                      path: path, writing: true, reusing: false)
        mapping.release(logRange)
        let bodyRange = start.count..<(start.count + body.count)
        let devices = try writeDeviceIndex(rows, body: bodyRange, checksum: bodyChecksum, of: mapping, path: path)
        return (size, SnapshotLog(mapping: mapping, range: logRange, index: index, path: path), devices)
    }

    /// The body (with where its device rows are, and its CRC-32C) and the log, each encoded on a
    /// core of its own: the two read different parts of the estate.
    private static func encode(_ estate: Estate, audit: AuditTrail)
        -> (body: [UInt8], rows: SnapshotDeviceIndex.Rows, bodyChecksum: UInt32, log: SnapshotLogCodec.Encoded)
    {
        let parts = concurrentMap(count: 2, workers: 2) { part -> EncodedPart in
            guard part == 0 else { return .log(SnapshotLogCodec.encode(requests: estate.ledger.requests, audit: audit)) }
            let (body, rows) = SnapshotCodec.encodeBodyAndRows(estate)
            return .body(body, rows: rows, checksum: CRC32C.checksum(body))
        }
        guard case .body(let body, let rows, let checksum) = parts[0], case .log(let log) = parts[1] else {
            preconditionFailure("part 0 is the body and part 1 the log")
        }
        return (body, rows, checksum, log)
    }

    /// One half of ``encode(_:audit:)``'s work.
    private enum EncodedPart: @unchecked Sendable {
        case body([UInt8], rows: SnapshotDeviceIndex.Rows, checksum: UInt32)
        case log(SnapshotLogCodec.Encoded)
    }

    /// The device index's path for a snapshot's.
    static func deviceIndexPath(besides snapshotPath: String) -> String {
        Store.path(FileIO.parentDirectory(of: snapshotPath), SnapshotDeviceIndex.fileName)
    }

    /// Writes the index of a body's device rows beside the snapshot and returns the rows read
    /// through it; `nil`, with any old index removed, when the rows name more Suppliers or cell
    /// sets than its columns hold (the store then reads its rows at every open).
    private static func writeDeviceIndex(
        _ rows: SnapshotDeviceIndex.Rows, body: Range<Int>, checksum: UInt32, of mapping: FileMapping, path: String
    ) throws(StoreError) -> SnapshotDeviceRows? {
        let indexPath = deviceIndexPath(besides: path)
        guard rows.suppliers.count <= SnapshotDeviceIndex.Columns.supplierLimit, rows.cellSets.count <= SnapshotDeviceIndex.Columns.cellSetLimit else {
            try FileIO.removeIfPresent(indexPath)
            return nil
        }
        let index = SnapshotDeviceIndex(rows: rows, bodyLength: body.count, bodyChecksum: checksum)
        try AtomicFile.write(pieces: [index.filePiece], to: indexPath)
        return SnapshotDeviceRows(mapping: mapping, body: body, index: index, cellSets: rows.cellSets, path: path)
    }

    /// The log index's path for a snapshot's.
    static func indexPath(besides snapshotPath: String) -> String {
        Store.path(FileIO.parentDirectory(of: snapshotPath), SnapshotLogIndex.fileName)
    }

    /// What ``open(path:writingIndex:)`` and ``read(_:layout:path:forAudit:)`` found.
    struct Loaded {
        var contents: SnapshotCodec.Contents
        var lastSequence: UInt64
        var size: Int
        /// Where the body starts in the file.
        var bodyStart: Int
        /// Whether the body and log matched their CRC-32Cs (always true unless read for auditing).
        var checksumMatches: Bool
        /// Whether the log's index was missing or stale and was made again from the log.
        var rebuiltIndex = false
    }

    /// Opens the snapshot for a store: checks both CRC-32Cs (the log's on a second core while the
    /// body is read), reads the body and leaves the log's rows on disk, read through its index.
    /// - Parameter writingIndex: write the index again if it was missing or stale (writers only).
    static func open(path: String, writingIndex: Bool) throws(StoreError) -> Loaded {
        let mapping = try FileMapping(path: path)
        defer { mapping.release(0..<mapping.bytes.count) }
        let layout = try locate(mapping.bytes, path: path)
        guard let logRange = layout.log, let logCrc32c = layout.header.logCrc32c else {
            return try read(mapping.bytes, layout: layout, path: path, forAudit: false)
        }
        var parts = try readBodyAndCheckLog(mapping, at: layout, deviceIndex: deviceIndex(for: layout, path: path),
                                            notingRows: writingIndex, path: path)
        if parts.storedDevices == nil, let rows = parts.deviceRows, let checksum = UInt32(layout.header.crc32c, radix: 16) {
            _ = try writeDeviceIndex(rows, body: layout.body, checksum: checksum, of: mapping, path: path)
        }
        parts.deviceRows = nil
        let logChecksum = parts.logChecksum
        guard CRC32C.hex(logChecksum) == logCrc32c else {
            throw StoreError.corrupt(path: path, offset: logRange.lowerBound, reason: "CRC32C mismatch in the snapshot log (the log starts at this byte)")
        }
        let log = UnsafeBufferPointer(rebasing: mapping.bytes[logRange])
        let (index, rebuilt) = try logIndex(log, at: logRange.lowerBound, checksum: logChecksum, path: path, writing: writingIndex)
        let snapshotLog = SnapshotLog(mapping: mapping, range: logRange, index: index, path: path)
        var contents = parts.contents(requestLog: RequestLog(stored: snapshotLog))
        contents.audit = AuditTrail(stored: snapshotLog)
        return Loaded(contents: contents, lastSequence: layout.header.lastSequence, size: mapping.bytes.count,
                      bodyStart: layout.body.lowerBound, checksumMatches: true, rebuiltIndex: rebuilt)
    }

    /// One half of an open's work.
    private enum BodyOrChecksums: @unchecked Sendable {
        case body(Result<SnapshotCodec.Parts, StoreError>)
        /// The log's CRC-32C, and the body's when it was taken here.
        case checksums(log: UInt32, body: UInt32?)
    }

    /// The index of the body's device rows, if `snapshot.devices` names this body; `nil` (make
    /// it again while reading the rows) when it is missing, stale or damaged.
    private static func deviceIndex(for layout: Layout, path: String) -> (SnapshotDeviceIndex, FileMapping)? {
        guard let checksum = UInt32(layout.header.crc32c, radix: 16),
              let mapping = try? FileMapping(path: deviceIndexPath(besides: path)),
              let index = SnapshotDeviceIndex.read(mapping, bodyLength: layout.body.count, bodyChecksum: checksum)
        else { return nil }
        return (index, mapping)
    }

    /// Reads the body on one core while the other takes the log's CRC-32C. With an index of its
    /// device rows, the rows are left unread (``SnapshotDeviceRows``) and the body's CRC-32C is
    /// taken beside the log's; without one, the rows are read, and where each starts is noted
    /// when `notingRows` (a writer, which saves the index).
    private static func readBodyAndCheckLog(
        _ mapping: FileMapping, at layout: Layout, deviceIndex: (SnapshotDeviceIndex, FileMapping)?, notingRows: Bool, path: String
    ) throws(StoreError) -> SnapshotCodec.Parts {
        guard let logRange = layout.log else { preconditionFailure("only a schema-5 snapshot has a log") }
        let both = concurrentMap(count: 2, workers: 2) { part -> BodyOrChecksums in
            if part == 1 {
                return .checksums(log: mapping.checksumReleasing(logRange), body: deviceIndex.map { _ in mapping.checksumReleasing(layout.body) })
            }
            return .body(Result { () throws(StoreError) in
                try readBody(mapping, at: layout, deviceIndex: deviceIndex, notingRows: notingRows, path: path)
            })
        }
        guard case .body(let read) = both[0], case .checksums(let logChecksum, let bodyChecksum) = both[1] else { preconditionFailure() }
        var parts = try read.get()
        parts.logChecksum = logChecksum
        if let bodyChecksum, CRC32C.hex(bodyChecksum) != layout.header.crc32c {
            throw StoreError.corrupt(path: path, offset: layout.body.lowerBound, reason: "CRC32C mismatch in the snapshot body")
        }
        if deviceIndex != nil, parts.storedDevices == nil {
            // The index did not fit the body after all: read the rows, as without one.
            return try readBodyAndCheckLog(mapping, at: layout, deviceIndex: nil, notingRows: notingRows, path: path)
        }
        return parts
    }

    /// The body read, leaving its device rows and counter histories unread when `deviceIndex` is given (and fits),
    /// else reading them (noting where each starts when `notingRows`) and checking the body
    /// against its CRC-32C.
    private static func readBody(
        _ mapping: FileMapping, at layout: Layout, deviceIndex: (SnapshotDeviceIndex, FileMapping)?, notingRows: Bool, path: String
    ) throws(StoreError) -> SnapshotCodec.Parts {
        let body = UnsafeBufferPointer(rebasing: mapping.bytes[layout.body])
        if deviceIndex == nil, CRC32C.hex(CRC32C.update(0, UnsafeRawBufferPointer(body))) != layout.header.crc32c {
            throw StoreError.corrupt(path: path, offset: layout.body.lowerBound, reason: "CRC32C mismatch in the snapshot body")
        }
        var parts = SnapshotCodec.Parts()
        parts.deviceIndex = deviceIndex?.0
        if deviceIndex == nil, notingRows { parts.deviceRows = SnapshotDeviceIndex.Rows(array: 0..<0) }
        do throws(JSONReadError) {
            try SnapshotCodec.decode(body, recordingOffsets: false, into: &parts)
        } catch {
            if deviceIndex != nil { return SnapshotCodec.Parts() }
            throw StoreError.corrupt(path: path, offset: layout.body.lowerBound + error.offset, reason: error.message)
        }
        if let (index, indexMapping) = deviceIndex {
            guard let cellSets = parts.cellSets, index.isWellFormed(cellSetCount: cellSets.count, releasing: indexMapping) else {
                return SnapshotCodec.Parts()
            }
            parts.storedDevices = SnapshotDeviceRows(mapping: mapping, body: layout.body, index: index, cellSets: cellSets, path: path)
            parts.storedHistories = parts.historyObject.map {
                SnapshotCounterHistories(mapping: mapping, body: layout.body, object: $0, bodyChecksum: layout.header.crc32c, path: path)
            }
        } else {
            parts.deviceRows?.cellSets = parts.cellSets ?? []
        }
        return parts
    }

    /// The log's index from `snapshot.index` if it names this log (and `reusing`), else made
    /// again by reading every row (and written when `writing`). Returns whether it was made again.
    static func logIndex(
        _ log: UnsafeBufferPointer<UInt8>, at logStart: Int, checksum: UInt32, path: String, writing: Bool, reusing: Bool = true
    ) throws(StoreError) -> (SnapshotLogIndex, Bool) {
        let indexPath = indexPath(besides: path)
        if reusing, let mapping = try? FileMapping(path: indexPath),
           let index = SnapshotLogIndex.read(mapping, logLength: log.count, logChecksum: checksum) {
            return (index, false)
        }
        let rows: SnapshotLogIndex.Rows
        do throws(JSONReadError) {
            rows = try SnapshotLogCodec.scan(log)
        } catch {
            throw StoreError.corrupt(path: path, offset: logStart + error.offset, reason: error.message)
        }
        let index = SnapshotLogIndex(rows: rows, logLength: log.count, logChecksum: checksum)
        if writing { try AtomicFile.write(index.fileBytes, to: indexPath) }
        return (index, true)
    }

    /// Reads every row of the body and the log into memory. For auditing (`forAudit`), a CRC-32C
    /// mismatch is reported in the result rather than thrown, and each row's offset in the file
    /// is recorded, so the first altered entry can be named.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, layout: Layout, path: String, forAudit: Bool) throws(StoreError) -> Loaded {
        var checksumMatches = CRC32C.hex(CRC32C.update(0, UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[layout.body])))) == layout.header.crc32c
        guard checksumMatches || forAudit else {
            throw StoreError.corrupt(path: path, offset: layout.body.lowerBound, reason: "CRC32C mismatch in the snapshot body")
        }
        if let log = layout.log {
            checksumMatches = checksumMatches
                && CRC32C.hex(CRC32C.update(0, UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[log])))) == layout.header.logCrc32c
        }
        var parts = SnapshotCodec.Parts()
        for range in [layout.body] + (layout.log.map { [$0] } ?? []) {
            do throws(JSONReadError) {
                try SnapshotCodec.decode(UnsafeBufferPointer(rebasing: bytes[range]), recordingOffsets: forAudit,
                                         offsetBase: range.lowerBound, into: &parts)
            } catch {
                throw StoreError.corrupt(path: path, offset: range.lowerBound + error.offset, reason: error.message)
            }
        }
        var contents = parts.contents()
        contents.audit = AuditTrail(parts.audit)
        return Loaded(contents: contents, lastSequence: layout.header.lastSequence, size: bytes.count,
                      bodyStart: layout.body.lowerBound, checksumMatches: checksumMatches)
    }

    /// Where the body starts in the first bytes of a schema-5 snapshot document (its header
    /// line read and checked; nothing after the body's start is looked at).
    static func bodyStart(inHead bytes: [UInt8], path: String) throws(StoreError) -> Int {
        guard bytes.starts(with: documentStart), let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
              newline > documentStart.count, bytes.count >= newline - 1 + bodyKey.count,
              Array(bytes[(newline - 1)..<(newline - 1 + bodyKey.count)]) == bodyKey
        else {
            throw StoreError.corrupt(path: path, offset: 0, reason: "not the head of an AnchorDesk snapshot document")
        }
        _ = try bytes.withUnsafeBufferPointer { buffer throws(StoreError) in
            try readHeader(buffer, in: documentStart.count..<(newline - 1), requiringFormat: false, path: path)
        }
        return newline - 1 + bodyKey.count
    }

    /// Reads the header line's JSON and refuses a schema newer than this build's.
    private static func readHeader(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, requiringFormat: Bool,
                                   path: String) throws(StoreError) -> Header {
        let header: Header
        do throws(JSONReadError) {
            header = try Header.decode(UnsafeBufferPointer(rebasing: bytes[range]), requiringFormat: requiringFormat)
        } catch {
            throw StoreError.corrupt(path: path, offset: range.lowerBound + error.offset, reason: "snapshot header: \(error.message)")
        }
        guard header.format == format else {
            throw StoreError.corrupt(path: path, offset: 0, reason: "not an AnchorDesk snapshot (format '\(header.format)')")
        }
        guard header.schemaVersion <= schemaVersion else {
            throw StoreError.newerSchema(path: path, found: header.schemaVersion, supported: schemaVersion)
        }
        return header
    }

    /// The header and where the body and log are: after `"body":` and `"log":` in a schema-5
    /// document, the body alone in schema 4, or after the header line (and before a final
    /// newline) in an older file.
    static func locate(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(StoreError) -> Layout {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
            throw StoreError.corrupt(path: path, offset: 0, reason: "no snapshot header line")
        }
        let isDocument = bytes.starts(with: documentStart)
        let headerRange = isDocument ? documentStart.count..<(newline - 1) : 0..<newline
        guard headerRange.lowerBound <= headerRange.upperBound else {
            throw StoreError.corrupt(path: path, offset: 0, reason: "snapshot header line is cut short")
        }
        let header = try readHeader(bytes, in: headerRange, requiringFormat: !isDocument, path: path)
        guard isDocument else {
            // Schemas 1 to 3: the body, then one newline.
            guard bytes.last == UInt8(ascii: "\n"), bytes.count > newline + 1 else {
                throw StoreError.corrupt(path: path, offset: newline + 1, reason: "the body does not end with a newline")
            }
            return try checkedLayout(Layout(header: header, body: (newline + 1)..<(bytes.count - 1)), path: path)
        }
        let bodyStart = headerRange.upperBound + bodyKey.count
        guard bytes.count >= bodyStart + documentEnd.count,
              Array(bytes[headerRange.upperBound..<bodyStart]) == bodyKey,
              Array(bytes[(bytes.count - documentEnd.count)...]) == documentEnd
        else {
            throw StoreError.corrupt(path: path, offset: headerRange.upperBound,
                                     reason: "not a snapshot document: expected the header, then \"body\":, then the body and a closing }")
        }
        let documentEndStart = bytes.count - documentEnd.count
        guard let logLength = header.logLength else {
            return try checkedLayout(Layout(header: header, body: bodyStart..<documentEndStart), path: path)
        }
        // Schema 5: the body, `"log":`, the log.
        let bodyEnd = bodyStart + header.bodyLength
        let logStart = bodyEnd + logKey.count
        guard logStart <= documentEndStart, Array(bytes[bodyEnd..<logStart]) == logKey else {
            throw StoreError.corrupt(path: path, offset: min(bodyEnd, documentEndStart),
                                     reason: "expected \"log\": after the body's \(header.bodyLength) bytes")
        }
        guard documentEndStart - logStart == logLength else {
            throw StoreError.corrupt(path: path, offset: logStart, reason: "log is \(documentEndStart - logStart) bytes, header says \(logLength)")
        }
        return Layout(header: header, body: bodyStart..<bodyEnd, log: logStart..<documentEndStart)
    }

    /// A layout whose body runs to the document's end, checked against the header's length.
    private static func checkedLayout(_ layout: Layout, path: String) throws(StoreError) -> Layout {
        guard layout.body.count == layout.header.bodyLength else {
            throw StoreError.corrupt(path: path, offset: layout.body.lowerBound,
                                     reason: "body is \(layout.body.count) bytes, header says \(layout.header.bodyLength)")
        }
        return layout
    }
}
