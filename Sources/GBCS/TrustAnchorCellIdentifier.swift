import AnchorCore

/// A Trust Anchor Cell identifier on the wire: `SEQUENCE { remotePartyRole INTEGER, keyUsage BIT STRING }`
/// (cell usage omitted: the DEFAULT, management).
public struct TrustAnchorCellIdentifier: Equatable, Sendable {
    /// The remote-party role code (0 root ... 6 WAN provider).
    public var roleCode: UInt64
    /// The key-usage BIT STRING content octets (`07 80` digitalSignature, `03 08` keyAgreement).
    public var keyUsageBits: [UInt8]

    /// The identifier of one of a GPF's cells.
    public init(_ cell: TrustAnchorCell) {
        roleCode = UInt64(cell.role.remotePartyRoleCode)
        keyUsageBits = TrustAnchorCellIdentifier.bits(for: cell.keyUsage)
    }

    init(roleCode: UInt64, keyUsageBits: [UInt8]) {
        self.roleCode = roleCode
        self.keyUsageBits = keyUsageBits
    }

    /// The cell this identifies, if a GPF has one.
    public var cell: TrustAnchorCell? {
        guard let role = OrganisationRole.allCases.first(where: { UInt64($0.remotePartyRoleCode) == roleCode }),
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
        5: "Transitional Change of Supplier", 6: "WAN Provider", 7: "Issuing Authority", 127: "Other",
    ]

    var encoded: [UInt8] {
        DERWriter.sequence(DERWriter.unsigned(roleCode), DERWriter.tlv(0x03, keyUsageBits))
    }

    static func read(_ reader: inout ByteReader, _ what: String, depth: Int, fields: inout WireFieldLog) throws(GBCSDecodingError) -> TrustAnchorCellIdentifier {
        var body = try reader.der([0x30], what, depth: depth, fields: &fields).content
        let role = try body.unsigned([0x02, 0x0A], "remote party role", depth: depth + 1, fields: &fields, names: roleNames)
        let bits = try body.primitive([0x03], "key usage", depth: depth + 1, fields: &fields) { value in
            KeyUsage.allCases.first { TrustAnchorCellIdentifier.bits(for: $0) == value }.map {
                $0 == .digitalSigning ? "digitalSignature" : "keyAgreement"
            } ?? "other: " + Hex.string(value, separator: " ")
        }
        if body.peek() == 0x02 {
            _ = try body.unsigned([0x02], "cell usage", depth: depth + 1, fields: &fields, names: [0: "management", 1: "prePaymentTopUp"])
        }
        try body.expectEnd(what)
        return TrustAnchorCellIdentifier(roleCode: role, keyUsageBits: bits)
    }
}
