/// A cursor over message bytes whose every read is bounds-checked and names what it wanted.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        offset = start
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - offset }
    var isAtEnd: Bool { offset >= end }

    func failure(_ reason: String, at position: Int? = nil) -> GBCSDecodingError {
        GBCSDecodingError(offset: position ?? offset, reason: reason)
    }

    func peek() -> UInt8? { offset < end ? bytes[offset] : nil }

    mutating func byte(_ what: String) throws(GBCSDecodingError) -> UInt8 {
        guard offset < end else { throw failure("truncated: expected \(what), but the message ends") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func take(_ count: Int, _ what: String) throws(GBCSDecodingError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw failure("truncated: expected \(count) bytes of \(what), only \(max(remaining, 0)) left")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func expect(_ value: UInt8, _ what: String) throws(GBCSDecodingError) {
        let start = offset
        let found = try byte(what)
        guard found == value else {
            throw failure("expected \(what) (0x\(Hex.byte(value))), found 0x\(Hex.byte(found))", at: start)
        }
    }

    mutating func bigEndian(_ count: Int, _ what: String) throws(GBCSDecodingError) -> UInt64 {
        try take(count, what).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A BER length: one byte below 0x80, else 0x81/0x82/0x83 and that many big-endian bytes.
    mutating func berLength(_ what: String) throws(GBCSDecodingError) -> Int {
        let start = offset
        let first = try byte("the length of \(what)")
        if first < 0x80 { return Int(first) }
        let count = Int(first & 0x7F)
        guard (1...3).contains(count) else {
            throw failure("the length of \(what) uses \(count) length bytes; 1 to 3 are allowed", at: start)
        }
        let value = try bigEndian(count, "the length of \(what)")
        return Int(value)
    }

    /// A sub-reader over the next `count` bytes, which this reader then skips.
    mutating func slice(_ count: Int, _ what: String) throws(GBCSDecodingError) -> ByteReader {
        guard count >= 0, count <= remaining else {
            throw failure("truncated: \(what) says \(count) bytes, only \(max(remaining, 0)) left")
        }
        defer { offset += count }
        return ByteReader(bytes, from: offset, to: offset + count)
    }
}
