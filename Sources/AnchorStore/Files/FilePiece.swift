/// Part of a file being written: bytes in memory, or bytes of a mapped file copied as they are.
enum FilePiece {
    case bytes([UInt8])
    case mapped(FileMapping, Range<Int>)

    /// Calls `body` with the piece's bytes.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        switch self {
        case .bytes(let bytes): bytes.withUnsafeBytes(body)
        case .mapped(let mapping, let range): body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: mapping.bytes[range])))
        }
    }

    /// The piece's length in bytes.
    var count: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .mapped(_, let range): range.count
        }
    }
}
