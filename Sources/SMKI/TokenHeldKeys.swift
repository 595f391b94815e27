import AnchorCore
import Crypto
import GBCS

/// An organisation's private keys that a PKCS#11 token holds (the ACB's, on a DSP configured
/// with one): the wire signs and agrees keys through the token, and no copy of either key is in
/// AnchorDesk's memory or files.
public struct TokenHeldKeys: Sendable {
    /// The token.
    public let token: PKCS11Token
    /// The organisation's entity ID: the originator its signatures are for.
    public let owner: EUI64
    /// Its Digital Signing key.
    public let signing: PKCS11Token.Key
    /// Its Key Agreement key.
    public let keyAgreement: PKCS11Token.Key

    /// The keys labelled `signingLabel` and `keyAgreementLabel` in `token`, each checked against
    /// the public key of its certificate: a signature made in the token must verify with the
    /// first, and the secret the token agrees with a new key must be the one that key agrees
    /// with the second.
    /// - Throws: ``PKCS11Error`` when a key is missing or the token refuses;
    ///   ``TokenKeyMismatch`` when a key is not the one its certificate names.
    public static func load(
        from token: PKCS11Token, owner: EUI64, signingLabel: String, signingCertificate: P256.Signing.PublicKey,
        keyAgreementLabel: String, keyAgreementCertificate: P256.Signing.PublicKey
    ) throws -> TokenHeldKeys {
        let signing = try token.privateKey(labelled: signingLabel)
        let keyAgreement = try token.privateKey(labelled: keyAgreementLabel)
        let challenge = Array("AnchorDesk checks the token's key".utf8)
        let signature = try token.signature(over: challenge, with: signing)
        guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
              signingCertificate.isValidSignature(parsed, for: challenge)
        else { throw TokenKeyMismatch(label: signingLabel) }
        let probe = P256.KeyAgreement.PrivateKey()
        let expected = try probe.sharedSecretFromKeyAgreement(
            with: P256.KeyAgreement.PublicKey(rawRepresentation: keyAgreementCertificate.rawRepresentation))
        guard try token.sharedSecret(keyAgreement, with: probe.publicKey) == expected.withUnsafeBytes({ Array($0) }) else {
            throw TokenKeyMismatch(label: keyAgreementLabel)
        }
        return TokenHeldKeys(token: token, owner: owner, signing: signing, keyAgreement: keyAgreement)
    }

    /// The signer for the owner's commands, signing in the token.
    public var signer: any CommandSigner { TokenCommandSigner(token: token, key: signing) }
}

/// A token's key that is not the one its certificate holds.
public struct TokenKeyMismatch: Error, CustomStringConvertible {
    /// The key's label.
    public let label: String
    public var description: String {
        "the token's key '\(label)' is not the key of its certificate"
    }
}

/// A ``CommandSigner`` whose key is in a PKCS#11 token.
struct TokenCommandSigner: CommandSigner {
    let token: PKCS11Token
    let key: PKCS11Token.Key

    func signature(over message: [UInt8]) throws -> [UInt8] {
        try token.signature(over: message, with: key)
    }
}
