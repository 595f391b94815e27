/// A GBCS message as it travels: a general signing block, bare or inside the command wrapper
/// (`DD 00 00 00 00 00 00`, BER length, security header `11 00 00 00 00`, block, 12-octet MAC).
///
/// *(model)* AnchorDesk does not model the KA-derived GMAC: it writes a MAC of twelve zero
/// octets and does not check the MAC it reads.
public struct GBCSMessage: Equatable, Sendable {
    /// The content, decoded according to the message code and CRA flag.
    public enum Payload: Equatable, Sendable {
        /// A CS02b command.
        case updateSecurityCredentialsCommand(CS02bCommandPayload)
        /// A CS02b response; `nil` when it says only that the command was accepted.
        case updateSecurityCredentialsResponse(CS02bResponsePayload?)
        /// A device's refusal of a command. *(model)*
        case commandRefused(CommandRefusalAlert)
        /// Any other content, left as bytes.
        case other
    }

    /// The MAC AnchorDesk writes. *(model)*
    public static let modelMAC = [UInt8](repeating: 0, count: 12)

    /// The general signing block.
    public var block: GeneralSigningBlock
    /// The wrapper's MAC, when the message was wrapped.
    public var mac: [UInt8]?
    /// The decoded content.
    public var payload: Payload
    /// Every field, in order, for a field-by-field breakdown.
    public var fields: [WireField]

    /// The bytes of a command as sent to a device: the block inside the `DD` wrapper.
    public static func wrap(_ block: GeneralSigningBlock) -> [UInt8] {
        let inner = [0x11, 0, 0, 0, 0] + block.encoded + modelMAC
        return [0xDD, 0, 0, 0, 0, 0, 0] + BERLength.encode(inner.count) + inner
    }

    /// Decodes a `DD`-wrapped message or a bare `DF 09` block.
    /// - Parameter recordingFields: keep ``fields`` (with their descriptions) for display; the
    ///   device and the engine pass `false` and skip that work.
    /// - Throws: ``GBCSDecodingError`` with the offset of the first byte that does not fit; never traps.
    public static func decode(_ bytes: [UInt8], recordingFields: Bool = true) throws(GBCSDecodingError) -> GBCSMessage {
        var reader = ByteReader(bytes)
        var fields = WireFieldLog(recording: recordingFields)
        var mac: [UInt8]?
        guard let first = reader.peek() else { throw reader.failure("empty: no bytes to decode") }
        var blockReader: ByteReader
        switch first {
        case 0xDD:
            let start = reader.offset
            _ = try reader.take(7, "the DD general ciphering header")
            guard reader.bytes[start + 1..<start + 7].allSatisfy({ $0 == 0 }) else {
                throw reader.failure("the DD header must be followed by six 00 octets", at: start + 1)
            }
            let length = try reader.berLength("the wrapped message")
            fields.append(WireField(name: "wrapper", offset: start, bytes: Array(bytes[start..<reader.offset]),
                                    meaning: "DD, \(length) bytes follow"))
            var inner = try reader.slice(length, "the wrapped message")
            let securityStart = inner.offset
            try inner.expect(0x11, "the security header 11")
            _ = try inner.take(4, "the security header")
            fields.append(WireField(name: "security header", offset: securityStart,
                                    bytes: Array(bytes[securityStart..<inner.offset])))
            guard inner.remaining >= 12 else { throw inner.failure("truncated: no room for the 12-octet MAC") }
            blockReader = ByteReader(bytes, from: inner.offset, to: inner.end - 12)
            mac = Array(bytes[inner.end - 12..<inner.end])
            try reader.expectEnd("the message")
        case 0xDF:
            blockReader = reader
        default:
            throw reader.failure("a GBCS message starts with DD (wrapped command) or DF 09 (signing block), not 0x\(Hex.byte(first))")
        }
        let block = try GeneralSigningBlock.read(&blockReader, fields: &fields)
        try blockReader.expectEnd("the general signing block")
        if let mac {
            fields.append(WireField(name: "MAC", offset: blockReader.end, bytes: mac, meaning: "12 octets"))
        }
        let contentStart = blockReader.end - block.content.count - signatureSize(block.signature)
        var content = ByteReader(bytes, from: contentStart, to: contentStart + block.content.count)
        var payloadFields = WireFieldLog(recording: recordingFields)
        let payload = try decodePayload(block, &content, fields: &payloadFields)
        fields.append(contentsOf: payloadFields)
        return GBCSMessage(block: block, mac: mac, payload: payload, fields: fields.fields)
    }

    private static func signatureSize(_ signature: CommandSignature) -> Int {
        switch signature {
        case .absent: 0
        case .unsigned: 1
        case .ecdsa(let value): 1 + value.count
        }
    }

    private static func decodePayload(
        _ block: GeneralSigningBlock, _ content: inout ByteReader, fields: inout WireFieldLog
    ) throws(GBCSDecodingError) -> Payload {
        guard MessageCode.isUpdateSecurityCredentials(block.messageCode) else { return .other }
        switch block.cra {
        case .command: return .updateSecurityCredentialsCommand(try CS02bCommandPayload.read(&content, fields: &fields))
        case .response: return .updateSecurityCredentialsResponse(try CS02bResponsePayload.read(&content, fields: &fields))
        case .alert: return .commandRefused(try CommandRefusalAlert.read(&content, fields: &fields))
        }
    }
}
