/// Part of a file being written: bytes in memory, or bytes of a mapped file copied as they are.
enum FilePiece {
    case bytes([UInt8])
    case mapped(FileMapping, Range<Int>)
    /// Bytes that stay valid while `owner` is held (an index's words).
    case raw(owner: AnyObject, UnsafeRawBufferPointer)

    /// Calls `body` with the piece's bytes.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        switch self {
        case .bytes(let bytes): bytes.withUnsafeBytes(body)
        case .mapped(let mapping, let range): body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: mapping.bytes[range])))
        case .raw(let owner, let bytes): withExtendedLifetime(owner) { body(bytes) }
        }
    }

    /// The piece's length in bytes.
    var count: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .mapped(_, let range): range.count
        case .raw(_, let bytes): bytes.count
        }
    }
}
