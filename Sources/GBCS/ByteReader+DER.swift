/// Reading the DER values of GBCS payloads, each recorded as a ``WireField``.
extension ByteReader {
    /// The content of the next TLV, which must carry one of `tags`; records its tag and length as a field.
    mutating func der(
        _ tags: [UInt8], _ what: String, depth: Int, fields: inout WireFieldLog, meaning: @autoclosure () -> String = ""
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
                                bytes: Array(bytes[start..<headerEnd]), meaning: meaning()))
        return (tag, content)
    }

    /// A whole primitive TLV recorded as one field; its meaning in words is worked out from the
    /// content only when the log is recording.
    mutating func primitive(
        _ tags: [UInt8], _ what: String, depth: Int, fields: inout WireFieldLog,
        meaning: ([UInt8]) -> String = { _ in "" }
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
                                bytes: Array(bytes[start..<offset]), meaning: meaning(value)))
        return value
    }

    /// An unsigned INTEGER of up to 64 bits (a leading 00 octet allowed).
    mutating func unsigned(
        _ tags: [UInt8], _ what: String, depth: Int, fields: inout WireFieldLog, names: @autoclosure () -> [UInt64: String] = [:]
    ) throws(GBCSDecodingError) -> UInt64 {
        let start = offset
        let value = try primitive(tags, what, depth: depth, fields: &fields) { value in
            ByteReader.unsignedValue(value).map { number in names()[number].map { "\(number) (\($0))" } ?? String(number) } ?? ""
        }
        guard let result = ByteReader.unsignedValue(value) else {
            throw GBCSDecodingError(offset: start, reason: "\(what) is not an unsigned integer of at most 64 bits")
        }
        return result
    }

    /// The number in an unsigned INTEGER's content octets, or `nil` if it is not one of at most 64 bits.
    private static func unsignedValue(_ value: [UInt8]) -> UInt64? {
        var digits = value[...]
        if digits.count > 1, digits.first == 0 { digits = digits.dropFirst() }
        guard !value.isEmpty, digits.count <= 8, value.first.map({ $0 & 0x80 == 0 }) ?? false else { return nil }
        return digits.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A `SEQUENCE OF SEQUENCE {…}` under `tag`: each element, recorded as "`item` N", is read by
    /// `element` from its content, which must be used up (else the error names `whole`).
    mutating func sequenceOfSequences<Element>(
        _ tag: UInt8, _ what: String, item: String, whole: String, depth: Int, fields: inout WireFieldLog,
        _ element: (inout ByteReader, inout WireFieldLog) throws(GBCSDecodingError) -> Element
    ) throws(GBCSDecodingError) -> [Element] {
        var list = try der([tag], what, depth: depth, fields: &fields).content
        var elements: [Element] = []
        while !list.isAtEnd {
            var content = try list.der([0x30], "\(item) \(elements.count + 1)", depth: depth + 1, fields: &fields).content
            elements.append(try element(&content, &fields))
            try content.expectEnd(whole)
        }
        return elements
    }

    /// Fails unless every byte of this (sub-)reader was read.
    func expectEnd(_ what: String) throws(GBCSDecodingError) {
        guard isAtEnd else { throw failure("\(remaining) unexpected bytes at the end of \(what)") }
    }
}
