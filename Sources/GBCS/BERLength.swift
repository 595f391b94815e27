/// BER/DER definite lengths, as GBCS uses them for the wrapper, the content length and ASN.1 payloads.
public enum BERLength {
    /// The encoded length octets for `length` (short form below 128, else 0x81/0x82/0x83 + big-endian bytes).
    public static func encode(_ length: Int) -> [UInt8] {
        if length < 0x80 { return [UInt8(length)] }
        var octets: [UInt8] = []
        var value = length
        while value > 0 {
            octets.insert(UInt8(value & 0xFF), at: 0)
            value >>= 8
        }
        return [0x80 | UInt8(octets.count)] + octets
    }
}
