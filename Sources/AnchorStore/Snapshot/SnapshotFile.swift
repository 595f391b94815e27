import AnchorCore

/// The snapshot file: a one-line JSON header, then the body as indented JSON.
///
/// The header carries the schema version, the last journal sequence folded into the body,
/// and the body's length and CRC32C, so a damaged snapshot is refused rather than loaded:
/// ```
/// {"bodyLength":52713,"crc32c":"1c2d3e4f","format":"anchordesk-snapshot","lastSequence":"12","schemaVersion":1}
/// { ...the estate... }
/// ```
enum SnapshotFile {
    /// The schema this build writes and the newest it reads.
    static let schemaVersion = 1
    static let format = "anchordesk-snapshot"

    struct Header: Codable {
        var format: String
        var schemaVersion: Int
        var lastSequence: OriginatorCounter
        var bodyLength: Int
        var crc32c: String
    }

    /// Writes the estate atomically (temporary file, fsync, rename, directory fsync).
    static func write(_ estate: Estate, lastSequence: UInt64, to path: String) throws(StoreError) {
        let body = try StoreCodec.encodeReadable(SnapshotBody(estate))
        let header = Header(
            format: format, schemaVersion: schemaVersion, lastSequence: OriginatorCounter(lastSequence),
            bodyLength: body.count, crc32c: CRC32C.hex(CRC32C.checksum(body)))
        var bytes = try StoreCodec.encodeCompact(header)
        bytes.append(UInt8(ascii: "\n"))
        bytes += body
        bytes.append(UInt8(ascii: "\n"))
        try AtomicFile.write(bytes, to: path)
    }

    /// Reads and checks the snapshot; returns the estate and the last sequence it includes.
    static func read(path: String) throws(StoreError) -> (estate: Estate, lastSequence: UInt64) {
        let bytes = try AtomicFile.read(path: path)
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
            throw StoreError.corrupt(path: path, offset: 0, reason: "no snapshot header line")
        }
        let header = try StoreCodec.decode(Header.self, from: bytes[..<newline], path: path)
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
        let body = bytes[bodyStart..<(bodyStart + header.bodyLength)]
        guard CRC32C.hex(CRC32C.checksum(body)) == header.crc32c else {
            throw StoreError.corrupt(path: path, offset: bodyStart, reason: "CRC32C mismatch in the snapshot body")
        }
        let decoded = try StoreCodec.decode(SnapshotBody.self, from: body, path: path)
        let estate = try decoded.estate(path: path)
        do {
            try estate.validate()
        } catch {
            throw StoreError(code: .corrupt, message: error.description, path: path)
        }
        return (estate, header.lastSequence.value)
    }
}
