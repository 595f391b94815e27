/// One of a SMETS2 device's Trust Anchor Cells: `{remote party role, key usage, management}`.
public enum TrustAnchorCell: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    case root
    case recovery
    case supplierDS
    case supplierKA
    case networkOperatorDS
    case networkOperatorKA
    case acbDS
    case acbKA
    case wanProviderDS
    case transitionalCoSDS

    /// The remote party whose certificate the cell holds.
    public var role: OrganisationRole {
        switch self {
        case .root: .root
        case .recovery: .recovery
        case .supplierDS, .supplierKA: .supplier
        case .networkOperatorDS, .networkOperatorKA: .networkOperator
        case .acbDS, .acbKA: .acb
        case .wanProviderDS: .wanProvider
        case .transitionalCoSDS: .transitionalCoS
        }
    }

    /// Digital Signing or Key Agreement.
    public var keyUsage: KeyUsage {
        switch self {
        case .supplierKA, .networkOperatorKA, .acbKA: .keyAgreement
        default: .digitalSigning
        }
    }

    /// The cell of a role and key usage, if a GPF has one.
    public static func cell(role: OrganisationRole, keyUsage: KeyUsage) -> TrustAnchorCell? {
        allCases.first { $0.role == role && $0.keyUsage == keyUsage }
    }

    /// The two Network Operator cells this change is about.
    public static let networkOperatorCells: [TrustAnchorCell] = [.networkOperatorDS, .networkOperatorKA]
}
