import AnchorCore

/// The snapshot file: one JSON document whose first member is the header and whose second is
/// the body (see ``SnapshotCodec``):
/// ```
/// {"anchordesk-snapshot":{"bodyLength":52713,"crc32c":"1c2d3e4f","lastSequence":"12","schemaVersion":4},
/// "body":{"organisations":[ ...one per line... ], ... "devices":[ ...one row per line... ], ...}
/// }
/// ```
/// The header carries the schema version, the last journal sequence folded into the body, and
/// the body's length and CRC-32C: the body is the `bodyLength` bytes that start right after
/// `"body":` (from its `{` to its `}`), so a damaged snapshot is refused rather than loaded.
/// Schemas 1 to 3 wrote the header as a line of its own, `{"bodyLength":…,"format":"anchordesk-snapshot",…}`,
/// followed by the body and a newline; they still open, and the next compaction rewrites them.
enum SnapshotFile {
    /// The schema this build writes and the newest it reads. Version 2 added the lifecycle
    /// log, the audit chain and Recovery Event details; version 3 the schedule log, the alerts
    /// and devices' pending commands; version 4 made the file one JSON document. Older
    /// snapshots read as having none of what came later.
    static let schemaVersion = 4
    static let format = "anchordesk-snapshot"
    /// What a schema-4 file starts with, and what comes between the header and the body.
    private static let documentStart = Array("{\"\(format)\":".utf8)
    private static let bodyKey = Array(",\n\"body\":".utf8)
    private static let documentEnd = Array("\n}\n".utf8)

    struct Header {
        var format: String
        var schemaVersion: Int
        var lastSequence: UInt64
        var bodyLength: Int
        var crc32c: String

        /// The header object: `{"bodyLength":…,"crc32c":…,"lastSequence":…,"schemaVersion":…}`.
        func encoded() -> [UInt8] {
            var writer = JSONWriter()
            writer.raw("{\"bodyLength\":"); writer.number(bodyLength)
            writer.raw(",\"crc32c\":"); writer.string(crc32c)
            writer.raw(",\"lastSequence\":"); writer.decimalString(lastSequence)
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
                    case "schemaVersion": header.schemaVersion = try reader.readInt()
                    default: throw reader.unknownKey(key, in: "the snapshot header")
                    }
                }
                try reader.expectEnd()
                guard header.bodyLength >= 0, header.schemaVersion >= 0 else { throw reader.error("incomplete snapshot header") }
                return header
            }
        }
    }

    /// The whole file for a header and a body: one JSON document.
    static func assemble(_ header: Header, body: [UInt8]) -> [UInt8] {
        documentStart + header.encoded() + bodyKey + body + documentEnd
    }

    /// Writes the estate atomically (temporary file, fsync, rename, directory fsync).
    /// - Returns: the file's size in bytes.
    @discardableResult
    static func write(_ estate: Estate, audit: [AuditEntry] = [], lastSequence: UInt64, to path: String) throws(StoreError) -> Int {
        let body = SnapshotCodec.encode(estate, audit: audit)
        let header = Header(
            format: format, schemaVersion: schemaVersion, lastSequence: lastSequence,
            bodyLength: body.count, crc32c: CRC32C.hex(CRC32C.checksum(body)))
        let bytes = assemble(header, body: body)
        try AtomicFile.write(bytes, to: path)
        return bytes.count
    }

    /// What ``read(path:)`` found.
    struct Loaded {
        var contents: SnapshotCodec.Contents
        var lastSequence: UInt64
        var size: Int
        /// Where the body starts in the file.
        var bodyStart: Int
        /// Whether the body matched its CRC-32C (always true unless read for auditing).
        var checksumMatches: Bool
    }

    /// Reads and checks the snapshot; returns the estate, its audit chain and the last sequence it includes.
    static func read(path: String) throws(StoreError) -> Loaded {
        try read(path: path, forAudit: false)
    }

    /// Reads the snapshot for `audit verify`: a CRC-32C mismatch is reported in the result
    /// rather than thrown, and row offsets are recorded, so the first altered entry can be named.
    static func readForAudit(path: String) throws(StoreError) -> Loaded {
        try read(path: path, forAudit: true)
    }

    private static func read(path: String, forAudit: Bool) throws(StoreError) -> Loaded {
        try MappedFile.withContents(path: path) { bytes throws(StoreError) in
            let (header, bodyStart, bodyEnd) = try locateBody(bytes, path: path)
            guard header.format == format else {
                throw StoreError.corrupt(path: path, offset: 0, reason: "not an AnchorDesk snapshot (format '\(header.format)')")
            }
            guard header.schemaVersion <= schemaVersion else {
                throw StoreError.newerSchema(path: path, found: header.schemaVersion, supported: schemaVersion)
            }
            guard bodyEnd - bodyStart == header.bodyLength else {
                throw StoreError.corrupt(path: path, offset: bodyStart,
                                         reason: "body is \(bodyEnd - bodyStart) bytes, header says \(header.bodyLength)")
            }
            let body = UnsafeBufferPointer(rebasing: bytes[bodyStart..<bodyEnd])
            let checksumMatches = CRC32C.hex(CRC32C.update(0, UnsafeRawBufferPointer(body))) == header.crc32c
            guard checksumMatches || forAudit else {
                throw StoreError.corrupt(path: path, offset: bodyStart, reason: "CRC32C mismatch in the snapshot body")
            }
            let contents: SnapshotCodec.Contents
            do throws(JSONReadError) {
                contents = try SnapshotCodec.decode(body, recordingOffsets: forAudit)
            } catch {
                throw StoreError.corrupt(path: path, offset: bodyStart + error.offset, reason: error.message)
            }
            return Loaded(contents: contents, lastSequence: header.lastSequence, size: bytes.count, bodyStart: bodyStart,
                          checksumMatches: checksumMatches)
        }
    }

    /// The header and where the body is: after `"body":` in a schema-4 document, or after the
    /// header line (and before a final newline) in an older file.
    private static func locateBody(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(StoreError) -> (Header, Int, Int) {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
            throw StoreError.corrupt(path: path, offset: 0, reason: "no snapshot header line")
        }
        let isDocument = bytes.starts(with: documentStart)
        let headerRange = isDocument ? documentStart.count..<(newline - 1) : 0..<newline
        guard headerRange.lowerBound <= headerRange.upperBound else {
            throw StoreError.corrupt(path: path, offset: 0, reason: "snapshot header line is cut short")
        }
        let header: Header
        do throws(JSONReadError) {
            header = try Header.decode(UnsafeBufferPointer(rebasing: bytes[headerRange]), requiringFormat: !isDocument)
        } catch {
            throw StoreError.corrupt(path: path, offset: headerRange.lowerBound + error.offset, reason: "snapshot header: \(error.message)")
        }
        guard isDocument else {
            // Schemas 1 to 3: the body, then one newline.
            guard bytes.last == UInt8(ascii: "\n"), bytes.count > newline + 1 else {
                throw StoreError.corrupt(path: path, offset: newline + 1, reason: "the body does not end with a newline")
            }
            return (header, newline + 1, bytes.count - 1)
        }
        let bodyStart = headerRange.upperBound + bodyKey.count
        guard bytes.count >= bodyStart + documentEnd.count,
              Array(bytes[headerRange.upperBound..<bodyStart]) == bodyKey,
              Array(bytes[(bytes.count - documentEnd.count)...]) == documentEnd
        else {
            throw StoreError.corrupt(path: path, offset: headerRange.upperBound,
                                     reason: "not a snapshot document: expected the header, then \"body\":, then the body and a closing }")
        }
        return (header, bodyStart, bytes.count - documentEnd.count)
    }
}
