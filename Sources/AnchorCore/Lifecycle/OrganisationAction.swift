/// An organisation lifecycle action (FIA Req 4, 5 and 6).
public enum OrganisationAction: String, Codable, Sendable, CaseIterable {
    /// Subscribe to SMKI Organisation Certificates (optional for GNOs, Req 6).
    case subscribe
    /// Stop being a DCC User, once no device holds its certificates (Req 4).
    case cease
    /// The Certificate Revocation Request: its certificates are revoked and leave the SMKI Repository (Req 5).
    case revoke
}
