/// The encodings the GBCS ASN.1 payloads use, in one of two length styles.
///
/// Commands are DER. Devices write lengths from 128 to 255 as `82 00 xx` rather than DER's
/// `81 xx` (GBCS-WIRE.md §4, seen in every RTDS response with such a length), so the simulated
/// GPF writes them that way too.
struct DERWriter {
    /// How lengths are written.
    enum LengthStyle {
        /// Shortest form (DER).
        case der
        /// As GPFs write them: below 128 one octet, otherwise `82` and two octets.
        case device
    }

    let style: LengthStyle

    static let der = DERWriter(style: .der)
    static let device = DERWriter(style: .device)

    func length(_ count: Int) -> [UInt8] {
        switch style {
        case .der: return BERLength.encode(count)
        case .device:
            if count < 0x80 { return [UInt8(count)] }
            if count <= 0xFFFF { return [0x82, UInt8(count >> 8), UInt8(count & 0xFF)] }
            return BERLength.encode(count)
        }
    }

    func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    func sequence(_ members: [UInt8]...) -> [UInt8] {
        tlv(0x30, members.flatMap { $0 })
    }

    /// A non-negative INTEGER (or an implicitly tagged one) in the fewest octets, with a leading 00 when the top bit is set.
    func unsigned(_ value: UInt64, tag: UInt8 = 0x02) -> [UInt8] {
        tlv(tag, DERWriter.integerOctets(value))
    }

    func octetString(_ bytes: [UInt8]) -> [UInt8] { tlv(0x04, bytes) }

    static func integerOctets(_ value: UInt64) -> [UInt8] {
        var octets: [UInt8] = []
        var rest = value
        repeat {
            octets.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        } while rest > 0
        if octets[0] & 0x80 != 0 { octets.insert(0, at: 0) }
        return octets
    }
}
