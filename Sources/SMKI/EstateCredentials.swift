import AnchorCore
import Crypto
import Foundation
import GBCS

/// The credentials of an estate: every certificate (public), the Digital Signing keys of the
/// organisations AnchorDesk signs for and the ACB's Key Agreement key (private, kept in the
/// store directory), and the simulated devices' keyring.
///
/// The engine never sees these: ``Estate/evaluate`` hands the signers and the ACB's MAC key to
/// the wire, the directory and the device keyring to the simulated devices, and the devices'
/// public keys to the DCC side's verification.
public struct EstateCredentials: Sendable {
    /// Every certificate by ID.
    public var directory: CertificateDirectory
    /// Digital Signing private keys by organisation entity ID.
    public var signingKeys: [EUI64: P256.Signing.PrivateKey]
    /// The ACB's Key Agreement private key: every `DD`-wrapped command's MAC is keyed with it.
    public let acbKeyAgreementKey: P256.KeyAgreement.PrivateKey?
    /// The DCC's organisations' keys that a PKCS#11 token holds instead (none of them is then in
    /// ``signingKeys`` or ``acbKeyAgreementKey``).
    public var tokenHeldKeys: TokenHeldKeys?
    /// The simulated devices' keys. Only the simulator signs with them.
    public let deviceKeys: DeviceKeyring
    /// Signatures a User made outside AnchorDesk (a DUIS signed pre-command), by originator:
    /// used instead of a key, and only for the exact bytes the User signed.
    public var userSignatures: [EUI64: PresignedCommandSigner] = [:]
    /// The secrets ``macSecret(for:)`` computed; valid because the keys above never change.
    private let macSecrets = MemoTable<[UInt8]>()

    /// Credentials from a directory and keys.
    public init(
        directory: CertificateDirectory, signingKeys: [EUI64: P256.Signing.PrivateKey],
        acbKeyAgreementKey: P256.KeyAgreement.PrivateKey?, deviceKeys: DeviceKeyring
    ) {
        self.directory = directory
        self.signingKeys = signingKeys
        self.acbKeyAgreementKey = acbKeyAgreementKey
        self.deviceKeys = deviceKeys
    }

    /// The secret Z the ACB's key-agreement key shares with `device`'s (from the device's public
    /// key), which keys the MAC of every command to it; `nil` without the ACB's key, or when its
    /// token refuses. Remembered per device.
    public func macSecret(for device: EUI64) -> [UInt8]? {
        if let known = macSecrets[device] { return known }
        let peer = deviceKeys.keyAgreementKey(for: device).publicKey
        let secret: [UInt8]?
        if let acbKeyAgreementKey {
            secret = try? acbKeyAgreementKey.sharedSecretFromKeyAgreement(with: peer).withUnsafeBytes { Array($0) }
        } else if let tokenHeldKeys {
            secret = (try? tokenHeldKeys.macSecret(with: peer)) ?? nil
        } else {
            secret = nil
        }
        guard let secret else { return nil }
        macSecrets[device] = secret
        return secret
    }

    /// Whether AnchorDesk can sign for `organisation`: it holds that organisation's Digital Signing key.
    public func canSign(for organisation: Organisation) -> Bool {
        signingKeys[organisation.entityId] != nil || tokenHeldKeys?.signing[organisation.entityId] != nil
    }

    /// The signer for commands from this originator, if AnchorDesk holds its Digital Signing key.
    public func signer(for originator: EUI64) -> (any CommandSigner)? {
        if let presigned = userSignatures[originator] { return presigned }
        if let signer = tokenHeldKeys?.signer(for: originator) { return signer }
        return signingKeys[originator].map { P256CommandSigner(key: $0) }
    }

    /// Deterministic demo credentials for a ledger: keys derived from `seed` and each
    /// organisation's ID, certificates from a demo CA. For tests and in-memory previews only;
    /// a store holds random keys made once at `init` (``CredentialMaterial/generate(for:validFrom:)``).
    /// - Throws: when a certificate cannot be built.
    public static func derived(for ledger: Ledger, seed: String = "anchordesk-demo") throws -> EstateCredentials {
        let validFrom = Date(timeIntervalSince1970: 1_600_000_000)
        func key(_ label: String) throws -> P256.Signing.PrivateKey {
            try P256.Signing.PrivateKey(rawRepresentation: Array(SHA256.hash(data: Array((seed + "/" + label).utf8))))
        }
        let material = try CredentialMaterial.generate(
            for: ledger, validFrom: validFrom, authority: try DemoIssuingAuthority(key: key("issuing-ca"), validFrom: validFrom),
            keyFor: { organisation, usage in try key(organisation.id + "/" + usage.rawValue) },
            serialFor: { id in Array(SHA256.hash(data: Array((seed + "/serial/" + id).utf8)).prefix(16)).withPositiveTop },
            devices: DeviceKeyring(
                seed: Array(SHA256.hash(data: Array((seed + "/devices").utf8))),
                authority: try DemoIssuingAuthority(key: key("device-ca"), validFrom: validFrom, commonName: DemoIssuingAuthority.deviceCAName)))
        return material.credentials(for: ledger)
    }
}

extension Array where Element == UInt8 {
    /// The bytes with the top bit of the first cleared, so a DER INTEGER of them is positive and short.
    public var withPositiveTop: [UInt8] {
        guard var first = self.first else { return [1] }
        first &= 0x7F
        if first == 0 { first = 1 }
        return [first] + dropFirst()
    }
}
