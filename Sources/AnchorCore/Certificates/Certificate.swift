/// An SMKI Organisation Certificate, as the DCC knows it.
public struct Certificate: Hashable, Codable, Sendable, Identifiable {
    /// A stable ID such as `cadent-ds`.
    public var id: String
    /// The owning organisation's ID.
    public var owner: String
    /// Digital Signing or Key Agreement.
    public var keyUsage: KeyUsage
    /// Whether it is published in the SMKI Repository.
    public var inRepository: Bool
    /// Whether it has been revoked; a revoked certificate is never placed on a device.
    public var revoked: Bool

    /// Creates a certificate record.
    public init(id: String, owner: String, keyUsage: KeyUsage, inRepository: Bool, revoked: Bool = false) {
        self.id = id
        self.owner = owner
        self.keyUsage = keyUsage
        self.inRepository = inRepository
        self.revoked = revoked
    }

    /// Whether it may be placed on a device now: in the repository and not revoked.
    public var isUsable: Bool { inRepository && !revoked }
}
