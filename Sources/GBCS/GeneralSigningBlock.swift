import AnchorCore

/// A GBCS general signing block: `DF 09`, transaction ID (CRA flag + Originator Counter),
/// originator and recipient, date-time, other information (message code), content and signature.
///
/// The signature is ECDSA P-256 over SHA-256 of ``signedBytes``: every byte from the `09`
/// after `DF` to the end of the content.
public struct GeneralSigningBlock: Equatable, Sendable {
    /// Command, response or alert.
    public var cra: CRAFlag
    /// The Originator Counter: 8 octets, big-endian, unsigned.
    public var originatorCounter: OriginatorCounter
    /// The originator's entity ID (system title).
    public var originator: EUI64
    /// The recipient's entity ID.
    public var recipient: EUI64
    /// The 12-octet date-time, when present.
    public var dateTime: [UInt8]?
    /// The other-information octets; the first two are the message code.
    public var otherInformation: [UInt8]
    /// The content (the use case's payload).
    public var content: [UInt8]
    /// The signature part.
    public var signature: CommandSignature

    /// Creates a block.
    public init(
        cra: CRAFlag, originatorCounter: OriginatorCounter, originator: EUI64, recipient: EUI64,
        dateTime: [UInt8]? = nil, messageCode: UInt16, content: [UInt8], signature: CommandSignature = .unsigned
    ) {
        self.cra = cra
        self.originatorCounter = originatorCounter
        self.originator = originator
        self.recipient = recipient
        self.dateTime = dateTime
        otherInformation = [UInt8(messageCode >> 8), UInt8(messageCode & 0xFF)]
        self.content = content
        self.signature = signature
    }

    /// The GBCS message code from the other information (e.g. `0x0103` for CS02b NO by NO).
    public var messageCode: UInt16 {
        otherInformation.count >= 2 ? UInt16(otherInformation[0]) << 8 | UInt16(otherInformation[1]) : 0
    }

    /// The bytes the signature covers: from the `09` after `DF` to the end of the content.
    public var signedBytes: [UInt8] {
        var bytes: [UInt8] = [0x09, cra.rawValue]
        bytes.reserveCapacity(40 + otherInformation.count + content.count)
        withUnsafeBytes(of: originatorCounter.value.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(0x08)
        withUnsafeBytes(of: originator.rawValue.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(0x08)
        withUnsafeBytes(of: recipient.rawValue.bigEndian) { bytes.append(contentsOf: $0) }
        if let dateTime {
            bytes.append(0x0C)
            bytes += dateTime
        } else {
            bytes.append(0x00)
        }
        bytes += BERLength.encode(otherInformation.count) + otherInformation
        bytes += BERLength.encode(content.count) + content
        return bytes
    }

    /// The whole block as it goes on the wire.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = [0xDF] + signedBytes
        switch signature {
        case .absent: break
        case .unsigned: bytes.append(0x00)
        case .ecdsa(let value): bytes += [UInt8(value.count)] + value
        }
        return bytes
    }

    /// Reads a block that starts at `reader`'s position, adding one ``WireField`` per field.
    static func read(_ reader: inout ByteReader, fields: inout WireFieldLog) throws(GBCSDecodingError) -> GeneralSigningBlock {
        // The meaning in words is worked out only when the log records it.
        func field(_ name: String, from start: Int, _ meaning: @autoclosure () -> String = "") {
            fields.append(WireField(name: name, offset: start, bytes: Array(reader.bytes[start..<reader.offset]), meaning: meaning()))
        }
        var start = reader.offset
        try reader.expect(0xDF, "the general signing tag DF")
        try reader.expect(0x09, "09 after DF")
        field("general signing", from: start, "DF 09")

        start = reader.offset
        let flag = try reader.byte("the CRA flag")
        guard let cra = CRAFlag(rawValue: flag) else {
            throw reader.failure("CRA flag 0x\(Hex.byte(flag)) is not 1 (command), 2 (response) or 3 (alert)", at: start)
        }
        field("CRA flag", from: start, cra.name)

        start = reader.offset
        let counter = OriginatorCounter(try reader.bigEndian(8, "the Originator Counter"))
        field("originator counter", from: start, counter.description)

        start = reader.offset
        try reader.expect(0x08, "08 before the originator ID")
        let originator = EUI64(rawValue: try reader.bigEndian(8, "the originator ID"))
        field("originator", from: start, originator.description)

        start = reader.offset
        try reader.expect(0x08, "08 before the recipient ID")
        let recipient = EUI64(rawValue: try reader.bigEndian(8, "the recipient ID"))
        field("recipient", from: start, recipient.description)

        start = reader.offset
        let dateTag = try reader.byte("the date-time")
        var dateTime: [UInt8]?
        switch dateTag {
        case 0x00:
            field("date-time", from: start, "absent")
        case 0x0C:
            dateTime = try reader.take(12, "the date-time")
            field("date-time", from: start, DateTimeText.describe(dateTime ?? []))
        default:
            throw reader.failure("date-time starts 0x\(Hex.byte(dateTag)); expected 00 (absent) or 0C (12 octets)", at: start)
        }

        start = reader.offset
        let otherLength = try reader.berLength("the other information")
        let other = try reader.take(otherLength, "the other information")
        guard other.count >= 2 else {
            throw reader.failure("the other information holds \(other.count) octets; the message code needs 2", at: start)
        }
        var block = GeneralSigningBlock(
            cra: cra, originatorCounter: counter, originator: originator, recipient: recipient,
            dateTime: dateTime, messageCode: 0, content: [], signature: .absent)
        block.otherInformation = other
        field("message code", from: start, MessageCode.describe(block.messageCode))

        start = reader.offset
        let contentLength = try reader.berLength("the content")
        field("content length", from: start, "\(contentLength) bytes")
        let contentStart = reader.offset
        block.content = try reader.take(contentLength, "the content")
        fields.append(WireField(name: "content", offset: contentStart, bytes: [], meaning: "\(contentLength) bytes, below"))

        start = reader.offset
        if reader.isAtEnd {
            field("signature", from: start, "absent (pre-command)")
            return block
        }
        let signatureLength = try reader.byte("the signature length")
        switch signatureLength {
        case 0x00:
            block.signature = .unsigned
            field("signature length", from: start, "0: not signed")
        case 0x40:
            field("signature length", from: start, "64")
            let valueStart = reader.offset
            block.signature = .ecdsa(try reader.take(64, "the signature"))
            field("signature", from: valueStart, "ECDSA P-256 r‖s")
        default:
            throw reader.failure("signature length 0x\(Hex.byte(signatureLength)); expected 00 or 40 (64 octets)", at: start)
        }
        return block
    }
}
