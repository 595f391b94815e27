import AnchorCore

/// A Trust Anchor Cell identifier on the wire: `SEQUENCE { remotePartyRole INTEGER, keyUsage BIT STRING,
/// cellUsage INTEGER DEFAULT management }`. AnchorDesk omits the default; a decoded identifier
/// keeps an explicit cell usage so it re-encodes to the same bytes.
public struct TrustAnchorCellIdentifier: Equatable, Sendable {
    /// The remote-party role code (0 root ... 6 WAN provider).
    public var roleCode: UInt64
    /// The key-usage BIT STRING content octets (`07 80` digitalSignature, `03 08` keyAgreement).
    public var keyUsageBits: [UInt8]
    /// `cellUsage` when written explicitly (0 management, 1 prePaymentTopUp); `nil` for the default.
    public var cellUsage: UInt64?

    /// The identifier of one of a GPF's cells.
    public init(_ cell: TrustAnchorCell) {
        roleCode = UInt64(cell.role.remotePartyRoleCode)
        keyUsageBits = TrustAnchorCellIdentifier.bits(for: cell.keyUsage)
    }

    /// An identifier from its parts.
    public init(roleCode: UInt64, keyUsageBits: [UInt8], cellUsage: UInt64? = nil) {
        self.roleCode = roleCode
        self.keyUsageBits = keyUsageBits
        self.cellUsage = cellUsage
    }

    /// The cell this identifies, if a GPF has one.
    public var cell: TrustAnchorCell? {
        guard (cellUsage ?? 0) == 0, let role = OrganisationRole.allCases.first(where: { UInt64($0.remotePartyRoleCode) == roleCode }),
              let usage = keyUsage else { return nil }
        return TrustAnchorCell.cell(role: role, keyUsage: usage)
    }

    /// Digital Signing or Key Agreement, when the bits say exactly one of them.
    public var keyUsage: KeyUsage? {
        KeyUsage.allCases.first { TrustAnchorCellIdentifier.bits(for: $0) == keyUsageBits }
    }

    /// The BIT STRING content for a key usage: unused-bit count, then the bits.
    public static func bits(for usage: KeyUsage) -> [UInt8] {
        usage == .digitalSigning ? [0x07, 0x80] : [0x03, 0x08]
    }

    static let roleNames: [UInt64: String] = [
        0: "Root", 1: "Recovery", 2: "Supplier", 3: "Network Operator", 4: "Access Control Broker",
        5: "Transitional Change of Supplier", 6: "WAN Provider", 7: "Issuing Authority", 8: "Load Controller", 127: "Other",
    ]

    func encoded(_ writer: DERWriter, tag: UInt8 = 0x30) -> [UInt8] {
        var members = writer.unsigned(roleCode) + writer.tlv(0x03, keyUsageBits)
        if let cellUsage { members += writer.unsigned(cellUsage) }
        return writer.tlv(tag, members)
    }

    static func read(
        _ reader: inout ByteReader, _ what: String, tag: UInt8 = 0x30, depth: Int, fields: inout WireFieldLog
    ) throws(GBCSDecodingError) -> TrustAnchorCellIdentifier {
        var body = try reader.der([tag], what, depth: depth, fields: &fields).content
        let role = try body.unsigned([0x02, 0x0A], "remote party role", depth: depth + 1, fields: &fields, names: roleNames)
        let bits = try body.primitive([0x03], "key usage", depth: depth + 1, fields: &fields) { value in
            KeyUsage.allCases.first { TrustAnchorCellIdentifier.bits(for: $0) == value }.map {
                $0 == .digitalSigning ? "digitalSignature" : "keyAgreement"
            } ?? "other: " + Hex.string(value, separator: " ")
        }
        var cellUsage: UInt64?
        if body.peek() == 0x02 {
            cellUsage = try body.unsigned([0x02], "cell usage", depth: depth + 1, fields: &fields, names: [0: "management", 1: "prePaymentTopUp"])
        }
        try body.expectEnd(what)
        return TrustAnchorCellIdentifier(roleCode: role, keyUsageBits: bits, cellUsage: cellUsage)
    }
}
