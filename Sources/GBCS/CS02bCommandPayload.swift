import AnchorCore

/// The content of a CS02b Update Security Credentials command:
///
/// ```
/// SEQUENCE {
///   authorisingRemotePartyControl SEQUENCE {
///     credentialsReplacementMode INTEGER, authorisingRemotePartySeqNumber INTEGER,
///     newRemotePartyFloorSeqNumber [4] IMPLICIT INTEGER OPTIONAL }
///   replacements SEQUENCE OF SEQUENCE { certificate Certificate, targetCell TrustAnchorCellIdentifier }
///   certificationPathCertificates SEQUENCE OF Certificate }
/// ```
/// The layout follows GBCS as DCC's public decoder reads it. *(model)* AnchorDesk never sends
/// the optional plaintext symmetric key, time-based CPV flag, specialist floors or execution
/// date-time, and sends no certification path.
public struct CS02bCommandPayload: Equatable, Sendable {
    /// One replacement: the certificate's DER and the target cell.
    public struct Replacement: Equatable, Sendable {
        /// The X.509 certificate, DER-encoded.
        public var certificate: [UInt8]
        /// The cell it goes into.
        public var target: TrustAnchorCellIdentifier

        /// Creates a replacement.
        public init(certificate: [UInt8], target: TrustAnchorCellIdentifier) {
            self.certificate = certificate
            self.target = target
        }
    }

    /// `credentialsReplacementMode` (3 = networkOperatorByNetworkOperator).
    public var mode: UInt64
    /// `authorisingRemotePartySeqNumber`: equal to the header's Originator Counter.
    public var authorisingSequenceNumber: UInt64
    /// `newRemotePartyFloorSeqNumber`, when present.
    public var newFloor: UInt64?
    /// The replacements, in order.
    public var replacements: [Replacement]

    /// Creates a payload.
    public init(mode: UInt64, authorisingSequenceNumber: UInt64, newFloor: UInt64?, replacements: [Replacement]) {
        self.mode = mode
        self.authorisingSequenceNumber = authorisingSequenceNumber
        self.newFloor = newFloor
        self.replacements = replacements
    }

    static let modeNames: [UInt64: String] = [
        2: "supplierBySupplier", 3: "networkOperatorByNetworkOperator", 4: "accessControlBrokerByACB",
        5: "wanProviderByWanProvider", 6: "transCoSByTransCoS", 7: "supplierByTransCoS",
        8: "anyExceptAbnormalRootByRecovery", 9: "anyByContingency",
    ]

    /// The DER encoding.
    public var encoded: [UInt8] {
        var control = DERWriter.unsigned(mode) + DERWriter.unsigned(authorisingSequenceNumber)
        if let newFloor { control += DERWriter.unsigned(newFloor, tag: 0x84) }
        let replacementList = replacements.flatMap { DERWriter.sequence($0.certificate, $0.target.encoded) }
        return DERWriter.sequence(DERWriter.tlv(0x30, control), DERWriter.tlv(0x30, replacementList), DERWriter.tlv(0x30, []))
    }

    /// Reads the payload, recording each field.
    static func read(_ reader: inout ByteReader, fields: inout WireFieldLog) throws(GBCSDecodingError) -> CS02bCommandPayload {
        var body = try reader.der([0x30], "Update Security Credentials command", depth: 0, fields: &fields).content
        var control = try body.der([0x30], "authorising remote party control", depth: 1, fields: &fields).content
        let mode = try control.unsigned([0x02, 0x0A], "credentials replacement mode", depth: 2, fields: &fields, names: modeNames)
        if control.peek() == 0x80 {
            _ = try control.primitive([0x80], "plaintext symmetric key", depth: 2, fields: &fields)
        }
        if control.peek() == 0x81 {
            _ = try control.unsigned([0x81], "apply time-based CPV checks", depth: 2, fields: &fields, names: [0: "apply", 1: "disapply"])
        }
        if control.peek() == 0xA2 {
            _ = try TrustAnchorCellIdentifier.read(&control, "authorising remote party cell", depth: 2, fields: &fields)
        }
        let sequence = try control.unsigned([0x02], "authorising remote party seq number", depth: 2, fields: &fields)
        var newFloor: UInt64?
        if control.peek() == 0x84 {
            newFloor = try control.unsigned([0x84], "new remote party floor seq number", depth: 2, fields: &fields)
        }
        for (tag, name) in [(UInt8(0xA5), "new specialist floor seq numbers"), (0xA6, "other remote party seq number changes")]
        where control.peek() == tag {
            _ = try control.primitive([tag], name, depth: 2, fields: &fields)
        }
        try control.expectEnd("the authorising remote party control")

        var list = try body.der([0x30], "replacements", depth: 1, fields: &fields).content
        var replacements: [Replacement] = []
        while !list.isAtEnd {
            var item = try list.der([0x30], "replacement \(replacements.count + 1)", depth: 2, fields: &fields).content
            let certificateStart = item.offset
            _ = try item.der([0x30], "certificate", depth: 3, fields: &fields)
            let certificate = Array(item.bytes[certificateStart..<item.offset])
            fields.describeLast("X.509, \(certificate.count) bytes")
            let target = try TrustAnchorCellIdentifier.read(&item, "target trust anchor cell", depth: 3, fields: &fields)
            try item.expectEnd("a replacement")
            replacements.append(Replacement(certificate: certificate, target: target))
        }
        if !body.isAtEnd {
            _ = try body.der([0x30], "certification path certificates", depth: 1, fields: &fields)
        }
        if body.peek() == 0x18 {
            _ = try body.primitive([0x18], "execution date-time", depth: 1, fields: &fields)
        }
        try body.expectEnd("the Update Security Credentials command")
        try reader.expectEnd("the content")
        return CS02bCommandPayload(mode: mode, authorisingSequenceNumber: sequence, newFloor: newFloor, replacements: replacements)
    }
}
