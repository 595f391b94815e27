/// The DUIS Service Request Variants this product sends, and the SMKI Recovery Event.
public enum ServiceName: String, Codable, Sendable, CaseIterable {
    /// SRV6.15.1 Update Security Credentials (KRP), sent by a DCC User.
    case updateSecurityCredentials = "6.15.1"
    /// SRV6.21 Request Handover of DCC Controlled Device, requested by a Supplier, signed by the ACB.
    case requestHandover = "6.21"
    /// A Recovery Event: CS02b `anyExceptAbnormalRootByRecovery`, signed by the SMKI Recovery key.
    /// Not a DUIS service; exceptional, with an operator's reason.
    case recovery
}
