/// The role an organisation plays towards a device: the GBCS remote-party role.
public enum OrganisationRole: String, Codable, Sendable, CaseIterable {
    case root
    case recovery
    case supplier
    case networkOperator
    case acb
    case transitionalCoS
    case wanProvider

    /// The GBCS remote-party role code (also the SMKI certificate's OU).
    public var remotePartyRoleCode: UInt8 {
        switch self {
        case .root: 0
        case .recovery: 1
        case .supplier: 2
        case .networkOperator: 3
        case .acb: 4
        case .transitionalCoS: 5
        case .wanProvider: 6
        }
    }

    /// A short human label, for tables.
    public var label: String {
        switch self {
        case .root: "Root"
        case .recovery: "Recovery"
        case .supplier: "Supplier"
        case .networkOperator: "Network Operator"
        case .acb: "ACB"
        case .transitionalCoS: "Transitional CoS"
        case .wanProvider: "WAN Provider"
        }
    }
}
