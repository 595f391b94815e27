import AnchorCore
import Crypto
import GBCS
import Synchronization

/// The DCC's organisations' private keys that a PKCS#11 token holds (on a DSP configured with
/// one): the wire signs as those organisations, and keys every command's MAC with the ACB's Key
/// Agreement key, through the token; no copy of any of them is in AnchorDesk's memory or files.
public struct TokenHeldKeys: Sendable {
    /// One key in the token, with the certificate it must match.
    public struct Expected: Sendable {
        /// Its label (the name its file had in the vault, `dcc-acb-ds`).
        public var label: String
        /// Its organisation's entity ID.
        public var owner: EUI64
        /// Digital Signing or Key Agreement.
        public var usage: KeyUsage
        /// The public key of the organisation's certificate of that usage.
        public var certificateKey: P256.Signing.PublicKey

        /// A key the token should hold.
        public init(label: String, owner: EUI64, usage: KeyUsage, certificateKey: P256.Signing.PublicKey) {
            self.label = label
            self.owner = owner
            self.usage = usage
            self.certificateKey = certificateKey
        }
    }

    /// The token.
    public let token: PKCS11Token
    /// Digital Signing keys by their organisation's entity ID.
    public let signing: [EUI64: PKCS11Token.Key]
    /// The public half of each Digital Signing key, by its organisation's entity ID: its
    /// certificate's, which a signature made in the token verified with when the keys were loaded.
    public let signingPublicKeys: [EUI64: P256.Signing.PublicKey]
    /// The ACB's Key Agreement key, when the token holds it.
    public let keyAgreement: PKCS11Token.Key?
    private let refusals = FirstRefusal()

    /// The token's first refusal to sign or agree a key with these keys since they were loaded,
    /// if it refused: a command made since may have gone unsigned or with a MAC of zeros, so
    /// the wire sends nothing more and no decision made since may be recorded.
    public var refusal: PKCS11Error? { refusals.error }

    /// The keys `expected` names, each found in `token` and checked against its certificate: a
    /// signature made in the token must verify with a signing key's, and the secret the token
    /// agrees with a new key must be the one that new key agrees with a key agreement key's.
    /// - Parameter acb: the ACB's entity ID: its Key Agreement key keys the MACs.
    /// - Throws: ``PKCS11Error`` when a key is missing or the token refuses;
    ///   ``TokenKeyMismatch`` when a key is not the one its certificate names.
    public static func load(from token: PKCS11Token, expected: [Expected], acb: EUI64?) throws -> TokenHeldKeys {
        var signing: [EUI64: PKCS11Token.Key] = [:]
        var signingPublicKeys: [EUI64: P256.Signing.PublicKey] = [:]
        var keyAgreement: PKCS11Token.Key?
        for key in expected {
            let held = try token.privateKey(labelled: key.label)
            switch key.usage {
            case .digitalSigning:
                let challenge = Array("AnchorDesk checks the token's key".utf8)
                let signature = try token.signature(over: challenge, with: held)
                guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
                      key.certificateKey.isValidSignature(parsed, for: challenge)
                else { throw TokenKeyMismatch(label: key.label) }
                signing[key.owner] = held
                signingPublicKeys[key.owner] = key.certificateKey
            case .keyAgreement:
                let probe = P256.KeyAgreement.PrivateKey()
                let expected = try probe.sharedSecretFromKeyAgreement(
                    with: P256.KeyAgreement.PublicKey(rawRepresentation: key.certificateKey.rawRepresentation))
                guard try token.sharedSecret(held, with: probe.publicKey) == expected.withUnsafeBytes({ Array($0) }) else {
                    throw TokenKeyMismatch(label: key.label)
                }
                if key.owner == acb { keyAgreement = held }
            }
        }
        return TokenHeldKeys(token: token, signing: signing, signingPublicKeys: signingPublicKeys, keyAgreement: keyAgreement)
    }

    /// The signer for an originator's commands, signing in the token, if the token holds its key.
    public func signer(for originator: EUI64) -> (any CommandSigner)? {
        signing[originator].map { TokenCommandSigner(keys: self, key: $0) }
    }

    /// The x-coordinate Z the ACB's Key Agreement key shares with `peer`, computed in the
    /// token; `nil` when the token does not hold that key.
    /// - Throws: ``PKCS11Error`` when the token refuses (then kept as ``refusal``).
    public func macSecret(with peer: P256.KeyAgreement.PublicKey) throws(PKCS11Error) -> [UInt8]? {
        guard let keyAgreement else { return nil }
        return try noting { () throws(PKCS11Error) in try token.sharedSecret(keyAgreement, with: peer) }
    }

    /// The ECDSA P-256 signature (r ‖ s) over SHA-256 of `message`, made with `key` in the token.
    /// - Throws: ``PKCS11Error`` when the token refuses (then kept as ``refusal``).
    func signature(over message: [UInt8], with key: PKCS11Token.Key) throws(PKCS11Error) -> [UInt8] {
        try noting { () throws(PKCS11Error) in try token.signature(over: message, with: key) }
    }

    /// `work`'s result; its refusal is kept as ``refusal`` before it is thrown.
    private func noting<Value>(_ work: () throws(PKCS11Error) -> Value) throws(PKCS11Error) -> Value {
        do {
            return try work()
        } catch {
            refusals.note(error)
            throw error
        }
    }
}

/// The first error noted, for every thread that uses the same keys (a bulk run's workers and
/// its read-ahead).
private final class FirstRefusal: Sendable {
    private let first = Mutex<PKCS11Error?>(nil)

    var error: PKCS11Error? { first.withLock { $0 } }

    func note(_ error: PKCS11Error) {
        first.withLock { if $0 == nil { $0 = error } }
    }
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
    let keys: TokenHeldKeys
    let key: PKCS11Token.Key

    func signature(over message: [UInt8]) throws -> [UInt8] {
        try keys.signature(over: message, with: key)
    }
}
