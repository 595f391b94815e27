/// `SpecialistSeqNumber ::= SEQUENCE { seqNumberUsage INTEGER {prepaymentTopUp(0)}, seqNumber INTEGER }`.
public struct SpecialistSeqNumber: Equatable, Sendable {
    /// `seqNumberUsage` (0 = prepaymentTopUp).
    public var usage: UInt64
    /// `seqNumber`.
    public var seqNumber: UInt64

    /// Creates one.
    public init(usage: UInt64, seqNumber: UInt64) {
        self.usage = usage
        self.seqNumber = seqNumber
    }

    func encoded(_ writer: DERWriter) -> [UInt8] {
        writer.sequence(writer.unsigned(usage), writer.unsigned(seqNumber))
    }

    static func readList(
        _ reader: inout ByteReader, tag: UInt8, _ what: String, depth: Int, fields: inout WireFieldLog
    ) throws(GBCSDecodingError) -> [SpecialistSeqNumber] {
        try reader.sequenceOfSequences(
            tag, what, item: "specialist seq number", whole: "a specialist seq number", depth: depth, fields: &fields
        ) { item, fields throws(GBCSDecodingError) in
            let usage = try item.unsigned([0x02, 0x0A], "seq number usage", depth: depth + 2, fields: &fields, names: [0: "prepaymentTopUp"])
            let number = try item.unsigned([0x02], "seq number", depth: depth + 2, fields: &fields)
            return SpecialistSeqNumber(usage: usage, seqNumber: number)
        }
    }
}

/// `RemotePartySeqNumberChange ::= SEQUENCE { remotePartyRole INTEGER, floorSeqNumber INTEGER,
/// specialistFloorSeqNumbers SEQUENCE OF SpecialistSeqNumber OPTIONAL }`: in a command, a floor
/// to set; in an execution outcome, the floor a device now holds.
public struct RemotePartySeqNumberChange: Equatable, Sendable {
    /// The remote-party role code (3 = Network Operator).
    public var role: UInt64
    /// `floorSeqNumber`.
    public var floor: UInt64
    /// `specialistFloorSeqNumbers`, when present.
    public var specialistFloors: [SpecialistSeqNumber]?

    /// Creates one.
    public init(role: UInt64, floor: UInt64, specialistFloors: [SpecialistSeqNumber]? = nil) {
        self.role = role
        self.floor = floor
        self.specialistFloors = specialistFloors
    }

    func encoded(_ writer: DERWriter) -> [UInt8] {
        var members = writer.unsigned(role) + writer.unsigned(floor)
        if let specialistFloors { members += writer.tlv(0x30, specialistFloors.flatMap { $0.encoded(writer) }) }
        return writer.tlv(0x30, members)
    }

    static func readList(
        _ reader: inout ByteReader, tag: UInt8, _ what: String, depth: Int, fields: inout WireFieldLog
    ) throws(GBCSDecodingError) -> [RemotePartySeqNumberChange] {
        try reader.sequenceOfSequences(
            tag, what, item: "change", whole: "a seq number change", depth: depth, fields: &fields
        ) { change, fields throws(GBCSDecodingError) in
            let role = try change.unsigned([0x02, 0x0A], "remote party role", depth: depth + 2, fields: &fields,
                                           names: TrustAnchorCellIdentifier.roleNames)
            let floor = try change.unsigned([0x02], "floor seq number", depth: depth + 2, fields: &fields)
            var specialist: [SpecialistSeqNumber]?
            if change.peek() == 0x30 {
                specialist = try SpecialistSeqNumber.readList(&change, tag: 0x30, "specialist floor seq numbers",
                                                              depth: depth + 2, fields: &fields)
            }
            return RemotePartySeqNumberChange(role: role, floor: floor, specialistFloors: specialist)
        }
    }
}
