/// Which Digital Signing keys AnchorDesk holds, set against the certificates in the Repository:
/// enough for the console's dry run to foresee a device refusing a command's signature.
///
/// The dry run signs with demo keys derived for the purpose, so by itself it foresees nothing
/// about the keys really held: a User key folder another store's `init` filled, or a
/// certificate imported without its key, would pass it and then be refused by the device.
/// Keys are compared by their public halves only.
public struct SigningKeyCheck: Hashable, Sendable {
    /// The public half (raw, 64 octets) of each Digital Signing key held, by the holder's entity ID.
    public var heldKeys: [EUI64: [UInt8]]
    /// Each certificate's public key (raw), by certificate ID.
    public var certificateKeys: [String: [UInt8]]

    /// The keys and certificates as given.
    public init(heldKeys: [EUI64: [UInt8]], certificateKeys: [String: [UInt8]]) {
        self.heldKeys = heldKeys
        self.certificateKeys = certificateKeys
    }

    /// Why a device would refuse a command `signer` signs, checked against `certificate` (the
    /// one in the device's authorising cell), or `nil` when it would not (or cannot be told:
    /// an empty cell, a certificate with no known key).
    public func refusal(signer: Organisation, certificate: String?) -> String? {
        guard let certificate, let expected = certificateKeys[certificate] else { return nil }
        guard let held = heldKeys[signer.entityId] else {
            return "no private key for \(signer.id) is held, so the command could not be signed"
        }
        guard held != expected else { return nil }
        return "the device will refuse its signature: \(signer.id)'s signing key is not the one certificate \(certificate), "
            + "in the device's Network Operator Digital Signing cell, certifies"
    }
}
