/// What a device reads from a certificate: whose it is, in which role, and for which key usage.
///
/// The engine builds commands with these facts; on the wire (`WireGateway`) each becomes the
/// certificate's X.509 bytes, and the device reads the facts back from those bytes.
public struct CertificateSubject: Hashable, Codable, Sendable {
    /// The certificate's ID.
    public var certificateId: String
    /// The subject's entity ID (x500UniqueIdentifier).
    public var entityId: EUI64
    /// The subject's role (the OU).
    public var role: OrganisationRole
    /// Digital Signing or Key Agreement.
    public var keyUsage: KeyUsage

    /// Creates a subject record.
    public init(certificateId: String, entityId: EUI64, role: OrganisationRole, keyUsage: KeyUsage) {
        self.certificateId = certificateId
        self.entityId = entityId
        self.role = role
        self.keyUsage = keyUsage
    }
}
