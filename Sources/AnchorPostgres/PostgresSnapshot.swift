import AnchorStore
import NIOCore
import PostgresNIO

/// A snapshot file's bytes kept in the database in parts (a `bytea` value is limited to 1 GiB).
enum PostgresSnapshot {
    static let partSize = 16 << 20

    /// Stores a snapshot as generation `generation` (inside the caller's transaction).
    static func upload(_ bytes: [UInt8], generation: Int64, over session: PostgresSession) throws(StoreError) {
        var part = 0
        var start = 0
        repeat {
            let end = min(start + partSize, bytes.count)
            let buffer = ByteBuffer(bytes: bytes[start..<end])
            try session.run("insert into anchordesk.snapshot_parts (generation, part, bytes) values (\(generation), \(part), \(buffer))")
            part += 1
            start = end
        } while start < bytes.count
    }

    /// The snapshot of a generation, whole.
    static func download(generation: Int64, over session: PostgresSession) throws(StoreError) -> [UInt8] {
        let parts = try session.rows("select bytes from anchordesk.snapshot_parts where generation = \(generation) order by part") {
            let buffer = try $0.decode(ByteBuffer.self)
            return buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        }
        return parts.flatMap { $0 }
    }
}
