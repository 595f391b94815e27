import NIOCore

/// A one-dimensional `text[]` as PostgreSQL sends it in binary (`array_send`): the number of
/// dimensions, a flag for NULL elements, the element type, each dimension's length and lower
/// bound, then each element as its length in bytes (−1 for NULL) and its bytes, in the session's
/// client encoding. Read by hand: decoding an element at a time through PostgresNIO costs more
/// than a report's own work at millions of GPFs.
enum BinaryTextArray {
    /// The `text` type's OID, which every element must have.
    private static let textType: UInt32 = 25

    /// The elements of `bytes`; `nil` when they are not a one-dimensional text array without
    /// NULLs, exactly (an empty array has no dimension).
    static func strings(_ bytes: ByteBuffer) -> [String]? {
        var buffer = bytes
        guard let dimensions = buffer.readInteger(as: Int32.self), let flags = buffer.readInteger(as: Int32.self),
              let type = buffer.readInteger(as: UInt32.self), type == textType, flags == 0 || flags == 1 else { return nil }
        if dimensions == 0 { return buffer.readableBytes == 0 ? [] : nil }
        guard dimensions == 1, let count = buffer.readInteger(as: Int32.self), count >= 0,
              buffer.readInteger(as: Int32.self) != nil else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let length = buffer.readInteger(as: Int32.self), length >= 0,
                  let string = buffer.readString(length: Int(length)) else { return nil }
            strings.append(string)
        }
        return buffer.readableBytes == 0 ? strings : nil
    }
}
