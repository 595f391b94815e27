/// The few DER encodings the CS02b payloads use.
enum DERWriter {
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + BERLength.encode(content.count) + content
    }

    static func sequence(_ members: [UInt8]...) -> [UInt8] {
        tlv(0x30, members.flatMap { $0 })
    }

    /// A non-negative INTEGER (or an implicitly tagged one) in the fewest octets, with a leading 00 when the top bit is set.
    static func unsigned(_ value: UInt64, tag: UInt8 = 0x02) -> [UInt8] {
        var octets: [UInt8] = []
        var rest = value
        repeat {
            octets.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        } while rest > 0
        if octets[0] & 0x80 != 0 { octets.insert(0, at: 0) }
        return tlv(tag, octets)
    }

    static func octetString(_ bytes: [UInt8]) -> [UInt8] { tlv(0x04, bytes) }
}
