import AnchorCore

/// The snapshot file: a one-line JSON header, then the body (see ``SnapshotCodec``).
///
/// The header carries the schema version, the last journal sequence folded into the body,
/// and the body's length and CRC32C, so a damaged snapshot is refused rather than loaded:
/// ```
/// {"bodyLength":52713,"crc32c":"1c2d3e4f","format":"anchordesk-snapshot","lastSequence":"12","schemaVersion":1}
/// {"organisations":[ ...one per line... ], ... "devices":[ ...one row per line... ], ...}
/// ```
enum SnapshotFile {
    /// The schema this build writes and the newest it reads. Version 2 added the lifecycle
    /// log, the audit chain and Recovery Event details; version 3 the schedule log, the alerts
    /// and devices' pending commands. Older snapshots read as having none.
    static let schemaVersion = 3
    static let format = "anchordesk-snapshot"

    struct Header {
        var format: String
        var schemaVersion: Int
        var lastSequence: UInt64
        var bodyLength: Int
        var crc32c: String

        func encoded() -> [UInt8] {
            var writer = JSONWriter()
            writer.raw("{\"bodyLength\":"); writer.number(bodyLength)
            writer.raw(",\"crc32c\":"); writer.string(crc32c)
            writer.raw(",\"format\":"); writer.string(format)
            writer.raw(",\"lastSequence\":"); writer.decimalString(lastSequence)
            writer.raw(",\"schemaVersion\":"); writer.number(schemaVersion)
            writer.raw("}\n")
            return writer.bytes
        }

        static func decode(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> Header {
            do {
                var reader = JSONReader(buffer)
                var header = Header(format: "", schemaVersion: -1, lastSequence: 0, bodyLength: -1, crc32c: "")
                try reader.beginObject()
                while let key = try reader.nextKey() {
                    switch key {
                    case "bodyLength": header.bodyLength = try reader.readInt()
                    case "crc32c": header.crc32c = try reader.readString()
                    case "format": header.format = try reader.readString()
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

    /// Writes the estate atomically (temporary file, fsync, rename, directory fsync).
    /// - Returns: the file's size in bytes.
    @discardableResult
    static func write(_ estate: Estate, audit: [AuditEntry] = [], lastSequence: UInt64, to path: String) throws(StoreError) -> Int {
        let body = SnapshotCodec.encode(estate, audit: audit)
        let header = Header(
            format: format, schemaVersion: schemaVersion, lastSequence: lastSequence,
            bodyLength: body.count, crc32c: CRC32C.hex(CRC32C.checksum(body)))
        var bytes = header.encoded()
        bytes += body
        bytes.append(UInt8(ascii: "\n"))
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
            guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
                throw StoreError.corrupt(path: path, offset: 0, reason: "no snapshot header line")
            }
            let header: Header
            do throws(JSONReadError) {
                header = try Header.decode(UnsafeBufferPointer(rebasing: bytes[..<newline]))
            } catch {
                throw StoreError.corrupt(path: path, offset: error.offset, reason: "snapshot header: \(error.message)")
            }
            guard header.format == format else {
                throw StoreError.corrupt(path: path, offset: 0, reason: "not an AnchorDesk snapshot (format '\(header.format)')")
            }
            guard header.schemaVersion <= schemaVersion else {
                throw StoreError.newerSchema(path: path, found: header.schemaVersion, supported: schemaVersion)
            }
            let bodyStart = newline + 1
            guard header.bodyLength >= 0, bytes.count - bodyStart == header.bodyLength + 1, bytes.last == UInt8(ascii: "\n") else {
                throw StoreError.corrupt(path: path, offset: bodyStart,
                                         reason: "body is \(bytes.count - bodyStart) bytes, header says \(header.bodyLength) plus a newline")
            }
            let body = UnsafeBufferPointer(rebasing: bytes[bodyStart..<(bodyStart + header.bodyLength)])
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
}
