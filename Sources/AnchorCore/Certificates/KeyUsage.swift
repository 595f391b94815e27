/// What an SMKI Organisation Certificate's key is for.
public enum KeyUsage: String, Codable, Sendable, CaseIterable {
    /// Digital Signing: authorises commands.
    case digitalSigning = "DS"
    /// Key Agreement: derives the keys that protect messages.
    case keyAgreement = "KA"
}
