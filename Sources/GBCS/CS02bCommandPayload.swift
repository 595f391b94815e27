import AnchorCore

/// The content of a CS02b Update Security Credentials command (and of CS02g, which shares it),
/// as GBCS-WIRE.md §4 gives it and DCC's reference messages carry it:
///
/// ```
/// SEQUENCE {
///   authorisingRemotePartyControl SEQUENCE {
///     credentialsReplacementMode INTEGER,
///     plaintextSymmetricKey [0] OPTIONAL, applyTimeBasedCPVChecks [1] OPTIONAL,
///     authorisingRemotePartyTACellIdentifier [2] OPTIONAL, authorisingRemotePartySeqNumber [3],
///     newRemotePartyFloorSeqNumber [4] OPTIONAL, newRemotePartySpecialistFloorSeqNumbers [5] OPTIONAL,
///     otherRemotePartySeqNumberChanges [6] OPTIONAL }
///   replacements SEQUENCE OF SEQUENCE { certificate Certificate, targetTrustAnchorCell TrustAnchorCellIdentifier }
///   certificationPathCertificates SEQUENCE OF Certificate
///   executionDateTime GeneralizedTime OPTIONAL }
/// ```
/// Every field is kept: decoding a DER command with INTEGERs as DER writes them (as every RTDS
/// command does) and encoding the result gives the same bytes.
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

    /// The `executionDateTime` that cancels a pending future-dated command.
    public static let cancellationDateTime = "99991231235959Z"

    /// `credentialsReplacementMode` (3 = networkOperatorByNetworkOperator).
    public var mode: UInt64
    /// `[0] plaintextSymmetricKey`, when present.
    public var plaintextSymmetricKey: [UInt8]?
    /// `[1] applyTimeBasedCPVChecks` (0 apply, 1 disapply), when present.
    public var applyTimeBasedCPVChecks: UInt64?
    /// `[2] authorisingRemotePartyTACellIdentifier`: the cell whose certificate authorises the command.
    public var authorisingCell: TrustAnchorCellIdentifier?
    /// `[3] authorisingRemotePartySeqNumber`: equal to the header's Originator Counter.
    public var authorisingSequenceNumber: UInt64
    /// `[4] newRemotePartyFloorSeqNumber`, when present.
    public var newFloor: UInt64?
    /// `[5] newRemotePartySpecialistFloorSeqNumbers`, when present.
    public var newSpecialistFloors: [SpecialistSeqNumber]?
    /// `[6] otherRemotePartySeqNumberChanges`, when present.
    public var otherChanges: [RemotePartySeqNumberChange]?
    /// The replacements, in order.
    public var replacements: [Replacement]
    /// `certificationPathCertificates`: DER certificates that chain the replacements to a trust anchor.
    public var certificationPath: [[UInt8]]
    /// `executionDateTime` (GeneralizedTime text, e.g. `20300115000000Z`), when the command is future-dated.
    public var executionDateTime: String?

    /// Creates a payload; the optional fields default to absent.
    public init(
        mode: UInt64, authorisingCell: TrustAnchorCellIdentifier?, authorisingSequenceNumber: UInt64, newFloor: UInt64?,
        replacements: [Replacement], certificationPath: [[UInt8]] = [], executionDateTime: String? = nil,
        applyTimeBasedCPVChecks: UInt64? = nil, plaintextSymmetricKey: [UInt8]? = nil,
        newSpecialistFloors: [SpecialistSeqNumber]? = nil, otherChanges: [RemotePartySeqNumberChange]? = nil
    ) {
        self.mode = mode
        self.plaintextSymmetricKey = plaintextSymmetricKey
        self.applyTimeBasedCPVChecks = applyTimeBasedCPVChecks
        self.authorisingCell = authorisingCell
        self.authorisingSequenceNumber = authorisingSequenceNumber
        self.newFloor = newFloor
        self.newSpecialistFloors = newSpecialistFloors
        self.otherChanges = otherChanges
        self.replacements = replacements
        self.certificationPath = certificationPath
        self.executionDateTime = executionDateTime
    }

    static let modeNames: [UInt64: String] = [
        2: "supplierBySupplier", 3: "networkOperatorByNetworkOperator", 4: "accessControlBrokerByACB",
        5: "wanProviderByWanProvider", 6: "transCoSByTransCoS", 7: "supplierByTransCoS",
        8: "anyExceptAbnormalRootByRecovery", 9: "anyByContingency", 11: "loadControllerBySupplier",
    ]

    /// The DER encoding.
    public var encoded: [UInt8] {
        let der = DERWriter.der
        var control = der.unsigned(mode)
        if let plaintextSymmetricKey { control += der.tlv(0x80, plaintextSymmetricKey) }
        if let applyTimeBasedCPVChecks { control += der.unsigned(applyTimeBasedCPVChecks, tag: 0x81) }
        if let authorisingCell { control += authorisingCell.encoded(der, tag: 0xA2) }
        control += der.unsigned(authorisingSequenceNumber, tag: 0x83)
        if let newFloor { control += der.unsigned(newFloor, tag: 0x84) }
        if let newSpecialistFloors { control += der.tlv(0xA5, newSpecialistFloors.flatMap { $0.encoded(der) }) }
        if let otherChanges { control += der.tlv(0xA6, otherChanges.flatMap { $0.encoded(der) }) }
        let replacementList = replacements.flatMap { der.sequence($0.certificate, $0.target.encoded(der)) }
        var body = der.tlv(0x30, control) + der.tlv(0x30, replacementList) + der.tlv(0x30, certificationPath.flatMap { $0 })
        if let executionDateTime { body += der.tlv(0x18, Array(executionDateTime.utf8)) }
        return der.tlv(0x30, body)
    }

    /// Reads the payload, recording each field.
    static func read(_ reader: inout ByteReader, fields: inout WireFieldLog) throws(GBCSDecodingError) -> CS02bCommandPayload {
        var body = try reader.der([0x30], "Update Security Credentials command", depth: 0, fields: &fields).content
        var control = try body.der([0x30], "authorising remote party control", depth: 1, fields: &fields).content
        let mode = try control.unsigned([0x02, 0x0A], "credentials replacement mode", depth: 2, fields: &fields, names: modeNames)
        var payload = CS02bCommandPayload(mode: mode, authorisingCell: nil, authorisingSequenceNumber: 0, newFloor: nil, replacements: [])
        if control.peek() == 0x80 {
            // A key: its field shows the tag and length, never the key's bytes.
            var key = try control.der([0x80], "[0] plaintext symmetric key", depth: 2, fields: &fields).content
            payload.plaintextSymmetricKey = try key.take(key.remaining, "the plaintext symmetric key")
            fields.describeLast("\(payload.plaintextSymmetricKey?.count ?? 0) bytes, not shown")
        }
        if control.peek() == 0x81 {
            payload.applyTimeBasedCPVChecks = try control.unsigned(
                [0x81], "[1] apply time-based CPV checks", depth: 2, fields: &fields, names: [0: "apply", 1: "disapply"])
        }
        if control.peek() == 0xA2 {
            payload.authorisingCell = try TrustAnchorCellIdentifier.read(
                &control, "[2] authorising remote party TA cell", tag: 0xA2, depth: 2, fields: &fields)
        }
        payload.authorisingSequenceNumber = try control.unsigned([0x83], "[3] authorising remote party seq number", depth: 2, fields: &fields)
        if control.peek() == 0x84 {
            payload.newFloor = try control.unsigned([0x84], "[4] new remote party floor seq number", depth: 2, fields: &fields)
        }
        if control.peek() == 0xA5 {
            payload.newSpecialistFloors = try SpecialistSeqNumber.readList(
                &control, tag: 0xA5, "[5] new remote party specialist floor seq numbers", depth: 2, fields: &fields)
        }
        if control.peek() == 0xA6 {
            payload.otherChanges = try RemotePartySeqNumberChange.readList(
                &control, tag: 0xA6, "[6] other remote party seq number changes", depth: 2, fields: &fields)
        }
        try control.expectEnd("the authorising remote party control")

        payload.replacements = try body.sequenceOfSequences(
            0x30, "replacements", item: "replacement", whole: "a replacement", depth: 1, fields: &fields
        ) { item, fields throws(GBCSDecodingError) in
            Replacement(
                certificate: try readCertificate(&item, "certificate", depth: 3, fields: &fields),
                target: try TrustAnchorCellIdentifier.read(&item, "target trust anchor cell", depth: 3, fields: &fields))
        }
        var path = try body.der([0x30], "certification path certificates", depth: 1, fields: &fields).content
        while !path.isAtEnd {
            payload.certificationPath.append(
                try readCertificate(&path, "path certificate \(payload.certificationPath.count + 1)", depth: 2, fields: &fields))
        }
        if body.peek() == 0x18 {
            let text = try body.primitive([0x18], "execution date-time", depth: 1, fields: &fields) { value in
                let text = String(decoding: value, as: UTF8.self)
                return text == cancellationDateTime ? text + " (cancellation)" : text
            }
            payload.executionDateTime = String(decoding: text, as: UTF8.self)
        }
        try body.expectEnd("the Update Security Credentials command")
        try reader.expectEnd("the content")
        return payload
    }

    /// A whole certificate TLV as bytes.
    static func readCertificate(
        _ reader: inout ByteReader, _ what: String, depth: Int, fields: inout WireFieldLog
    ) throws(GBCSDecodingError) -> [UInt8] {
        let start = reader.offset
        _ = try reader.der([0x30], what, depth: depth, fields: &fields)
        let certificate = Array(reader.bytes[start..<reader.offset])
        fields.describeLast("X.509, \(certificate.count) bytes")
        return certificate
    }
}
