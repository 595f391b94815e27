/// The CS02b replacement mode: who replaces whose credentials (GBCS).
public enum ReplacementMode: UInt8, Codable, Sendable {
    case supplierBySupplier = 2
    /// Used by both SRV6.15.1 and SRV6.21 for a GPF's Network Operator cells (message code 0x0103).
    case networkOperatorByNetworkOperator = 3
    case acbByACB = 4
    case wanProvider = 5
    case transitionalCoS = 6
    case supplierByTransitionalCoS = 7
    case anyExceptAbnormalRootByRecovery = 8
    case anyByContingency = 9

    /// The role whose cell must authorise a command in this mode.
    public var authorisingRole: OrganisationRole {
        switch self {
        case .supplierBySupplier: .supplier
        case .networkOperatorByNetworkOperator: .networkOperator
        case .acbByACB: .acb
        case .wanProvider: .wanProvider
        case .transitionalCoS, .supplierByTransitionalCoS: .transitionalCoS
        case .anyExceptAbnormalRootByRecovery: .recovery
        case .anyByContingency: .root
        }
    }
}
