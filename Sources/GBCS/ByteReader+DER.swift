/// Reading the DER values of GBCS payloads, each recorded as a ``WireField``.
extension ByteReader {
    /// The content of the next TLV, which must carry one of `tags`; records its tag and length as a field.
    mutating func der(
        _ tags: Set<UInt8>, _ what: String, depth: Int, fields: inout [WireField], meaning: String = ""
    ) throws(GBCSDecodingError) -> (tag: UInt8, content: ByteReader) {
        let start = offset
        let tag = try byte(what)
        guard tags.contains(tag) else {
            let expected = tags.sorted().map { "0x" + Hex.byte($0) }.joined(separator: " or ")
            throw failure("\(what): expected tag \(expected), found 0x\(Hex.byte(tag))", at: start)
        }
        let length = try berLength(what)
        let headerEnd = offset
        let content = try slice(length, what)
        fields.append(WireField(name: String(repeating: "  ", count: depth) + what, offset: start,
                                bytes: Array(bytes[start..<headerEnd]), meaning: meaning))
        return (tag, content)
    }

    /// A whole primitive TLV recorded as one field, with its meaning worked out from its content.
    mutating func primitive(
        _ tags: Set<UInt8>, _ what: String, depth: Int, fields: inout [WireField],
        meaning: ([UInt8]) throws(GBCSDecodingError) -> String = { _ in "" }
    ) throws(GBCSDecodingError) -> [UInt8] {
        let start = offset
        let tag = try byte(what)
        guard tags.contains(tag) else {
            let expected = tags.sorted().map { "0x" + Hex.byte($0) }.joined(separator: " or ")
            throw failure("\(what): expected tag \(expected), found 0x\(Hex.byte(tag))", at: start)
        }
        let length = try berLength(what)
        let value = try take(length, what)
        fields.append(WireField(name: String(repeating: "  ", count: depth) + what, offset: start,
                                bytes: Array(bytes[start..<offset]), meaning: try meaning(value)))
        return value
    }

    /// An unsigned INTEGER of up to 64 bits (a leading 00 octet allowed).
    mutating func unsigned(
        _ tags: Set<UInt8>, _ what: String, depth: Int, fields: inout [WireField], names: [UInt64: String] = [:]
    ) throws(GBCSDecodingError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        _ = try primitive(tags, what, depth: depth, fields: &fields) { value throws(GBCSDecodingError) in
            var digits = value[...]
            if digits.count > 1, digits.first == 0 { digits = digits.dropFirst() }
            guard !value.isEmpty, digits.count <= 8, value.first.map({ $0 & 0x80 == 0 }) ?? false else {
                throw GBCSDecodingError(offset: start, reason: "\(what) is not an unsigned integer of at most 64 bits")
            }
            result = digits.reduce(0) { $0 << 8 | UInt64($1) }
            return names[result].map { "\(result) (\($0))" } ?? String(result)
        }
        return result
    }

    /// Fails unless every byte of this (sub-)reader was read.
    func expectEnd(_ what: String) throws(GBCSDecodingError) {
        guard isAtEnd else { throw failure("\(remaining) unexpected bytes at the end of \(what)") }
    }
}
