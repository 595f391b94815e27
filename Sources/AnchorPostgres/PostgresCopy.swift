import AnchorCore
import AnchorStore
import NIOCore
import PostgresNIO

/// One line of `COPY … FROM STDIN` in PostgreSQL's text format, being written.
struct CopyLine {
    fileprivate var buffer = ByteBuffer()

    /// Adds a field (`nil` is SQL null), escaping what the text format requires; `last` ends the line.
    mutating func field(_ text: String?, last: Bool = false) {
        if let text {
            let utf8 = text.utf8
            if utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
                for byte in utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                    case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                    case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                    case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                    default: buffer.writeInteger(byte)
                    }
                }
            } else {
                buffer.writeString(text)
            }
        } else {
            buffer.writeStaticString("\\N")
        }
        buffer.writeInteger(last ? UInt8(ascii: "\n") : UInt8(ascii: "\t"))
    }
}

extension PostgresSession {
    /// Streams rows into a table with `COPY … FROM STDIN` (PostgreSQL's fastest way in), a
    /// megabyte at a time, without holding them all.
    /// - Parameters:
    ///   - table: a table on the search path (the driver quotes the name whole).
    ///   - row: writes row `index` and returns `true`, or returns `false` when there are no more.
    func copy(into table: String, columns: [String], _ row: @escaping @Sendable (inout CopyLine, Int) -> Bool) throws(StoreError) {
        let connection = connection
        try checkOpen()
        do {
            try Blocking.run(timeout: Self.bulkAnswerTimeout) {
                try await connection.copyFrom(table: table, columns: columns, logger: Self.logger) { writer in
                    var line = CopyLine()
                    line.buffer.reserveCapacity(Self.copyChunk + 4096)
                    var index = 0
                    while row(&line, index) {
                        index += 1
                        if line.buffer.readableBytes >= Self.copyChunk {
                            try await writer.write(line.buffer)
                            line.buffer.clear()
                        }
                    }
                    if line.buffer.readableBytes > 0 { try await writer.write(line.buffer) }
                }
            }
        } catch {
            throw PostgresFailure.storeError(error, at: location, connecting: false)
        }
    }

    private static let copyChunk = 1 << 20
}
