/// A GBCS message as it travels (GBCS-WIRE.md §1): a general signing block, bare (pre-commands,
/// Recovery and Contingency commands, responses and alerts) or inside the general-ciphering
/// wrapper (`DD 00 00 00 00 00 00`, BER length, `11 00 00 00 00`, the block with its signature,
/// and a 12-octet MAC: see ``CommandMAC``).
public struct GBCSMessage: Equatable, Sendable {
    /// The content, decoded according to the message code and CRA flag.
    public enum Payload: Equatable, Sendable {
        /// A CS02b (or CS02g) command.
        case updateSecurityCredentialsCommand(CS02bCommandPayload)
        /// A CS02b (or CS02g) response; `nil` when it says only that the command was accepted.
        case updateSecurityCredentialsResponse(CS02bResponsePayload?)
        /// A future-dated CS02b (or CS02g) alert, 0x8F66 or 0x8F67.
        case updateSecurityCredentialsAlert(CS02bAlertPayload)
        /// A CS02d command: the new device certificate.
        case updateDeviceCertificateCommand([UInt8])
        /// A CS02d response: its status.
        case updateDeviceCertificateResponse(UInt64)
        /// A device's refusal of a command. *(model)*
        case commandRefused(CommandRefusalAlert)
        /// Content of a message code AnchorDesk does not decode, as bytes.
        case raw([UInt8])
    }

    /// The general signing block.
    public var block: GeneralSigningBlock
    /// The wrapper's MAC, when the message was wrapped.
    public var mac: [UInt8]?
    /// The decoded content.
    public var payload: Payload
    /// Every field, in order, for a field-by-field breakdown.
    public var fields: [WireField]
    /// The block exactly as received, from `DF` to the end of the signature: what a MAC covers.
    public var apdu: [UInt8]
    /// The bytes the signature covers exactly as received: from the `09` after `DF` to the end of the content.
    public var signedBytes: [UInt8]

    /// The bytes of a command as sent to a device: `apdu` (a signed block) inside the `DD` wrapper with its MAC.
    public static func wrap(apdu: [UInt8], mac: [UInt8]) -> [UInt8] {
        let inner = [0x11, 0, 0, 0, 0] + apdu + mac
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
        let apduStart = blockReader.offset
        let block = try GeneralSigningBlock.read(&blockReader, fields: &fields)
        try blockReader.expectEnd("the general signing block")
        if let mac {
            fields.append(WireField(name: "MAC", offset: blockReader.end, bytes: mac, meaning: "12 octets"))
        }
        let contentEnd = blockReader.end - signatureSize(block.signature)
        let contentStart = contentEnd - block.content.count
        var content = ByteReader(bytes, from: contentStart, to: contentEnd)
        var payloadFields = WireFieldLog(recording: recordingFields)
        let payload = try decodePayload(block, &content, fields: &payloadFields)
        fields.append(contentsOf: payloadFields)
        return GBCSMessage(
            block: block, mac: mac, payload: payload, fields: fields.fields,
            apdu: Array(bytes[apduStart..<blockReader.end]), signedBytes: Array(bytes[apduStart + 1..<contentEnd]))
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
        let code = block.messageCode
        switch (code, block.cra) {
        case (MessageCode.updateSecurityCredentialsAlert, .alert), (MessageCode.loadControllerAlert, .alert):
            return .updateSecurityCredentialsAlert(try CS02bAlertPayload.read(&content, fields: &fields))
        case (MessageCode.updateDeviceCertificate, .command):
            return .updateDeviceCertificateCommand(try CS02dPayload.readCommand(&content, fields: &fields))
        case (MessageCode.updateDeviceCertificate, .response):
            return .updateDeviceCertificateResponse(try CS02dPayload.readResponse(&content, fields: &fields))
        case (_, .command) where isCS02bShaped(code):
            return .updateSecurityCredentialsCommand(try CS02bCommandPayload.read(&content, fields: &fields))
        case (_, .response) where isCS02bShaped(code):
            return .updateSecurityCredentialsResponse(try CS02bResponsePayload.read(&content, fields: &fields))
        case (_, .alert) where MessageCode.isUpdateSecurityCredentials(code):
            return .commandRefused(try CommandRefusalAlert.read(&content, fields: &fields))
        default:
            let bytes = try content.take(content.remaining, "the content")
            fields.append(WireField(name: "content (not decoded)", offset: content.offset - bytes.count, bytes: bytes,
                                    meaning: "message code \(MessageCode.hex(code)): shown as bytes"))
            return .raw(bytes)
        }
    }

    private static func isCS02bShaped(_ code: UInt16) -> Bool {
        MessageCode.isUpdateSecurityCredentials(code) || code == MessageCode.loadControllerUpdate
    }
}
