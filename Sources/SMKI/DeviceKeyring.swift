import AnchorCore
import Crypto
import Foundation

/// The simulated GPFs' own keys: a Digital Signing and a Key Agreement key per device, and a
/// demo Device CA that issues their certificates.
///
/// *(model)* A real GPF makes its keys at manufacture and never reveals them; a million simulated
/// ones cannot each keep a key file, so each key is derived from one secret seed and the device
/// ID (`SHA-256(seed ‖ usage ‖ device ID ‖ attempt)`, retried in the negligible case that it is not
/// a valid P-256 scalar). The seed is made at `init` and kept in the store's SMKI folder like the
/// other private keys. Only the simulator signs with these keys; the DCC side sees the public
/// halves, as it would read them from the devices' certificates.
public struct DeviceKeyring: Sendable {
    /// The secret the keys derive from (32 octets).
    public let seed: [UInt8]
    /// The demo Device CA; `nil` only in the empty keyring of credentials that could not be made.
    public let authority: DemoIssuingAuthority?
    private let signingKeys = MemoTable<P256.Signing.PrivateKey>()
    private let keyAgreementKeys = MemoTable<P256.KeyAgreement.PrivateKey>()
    private let deviceSecrets = MemoTable<(acbCertificate: String, secret: SharedSecret)>()

    /// A keyring from its seed and Device CA.
    public init(seed: [UInt8], authority: DemoIssuingAuthority?) {
        self.seed = seed
        self.authority = authority
    }

    /// A new random keyring with a new Device CA (at `init`).
    /// - Throws: when the CA certificate cannot be built.
    public static func generate(validFrom: Date) throws -> DeviceKeyring {
        var generator = SystemRandomNumberGenerator()
        let seed = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return DeviceKeyring(seed: seed, authority: try DemoIssuingAuthority(
            key: P256.Signing.PrivateKey(), validFrom: validFrom, commonName: DemoIssuingAuthority.deviceCAName))
    }

    /// The device's Digital Signing key: it signs the device's responses and alerts.
    public func signingKey(for device: EUI64) -> P256.Signing.PrivateKey {
        signingKeys.value(for: device) { derive(device, usage: .digitalSigning) { try P256.Signing.PrivateKey(rawRepresentation: $0) } }
    }

    /// The device's Key Agreement key: with the ACB's, it keys the MAC of commands to the device.
    public func keyAgreementKey(for device: EUI64) -> P256.KeyAgreement.PrivateKey {
        keyAgreementKeys.value(for: device) { derive(device, usage: .keyAgreement) { try P256.KeyAgreement.PrivateKey(rawRepresentation: $0) } }
    }

    /// The secret the device computes from its own key-agreement key and the ACB's (from the
    /// certificate `acbCertificate` in its ACB KA cell), to check a command's MAC; `nil` if there
    /// is no such key or the ECDH fails. Remembered per device (the same inputs give the same
    /// secret) and recomputed when its ACB KA cell holds another certificate.
    public func deviceSideSecret(
        for device: EUI64, acbCertificate: String, acbKey: () -> P256.KeyAgreement.PublicKey?
    ) -> SharedSecret? {
        if let kept = deviceSecrets[device], kept.acbCertificate == acbCertificate { return kept.secret }
        guard let key = acbKey(), let secret = try? keyAgreementKey(for: device).sharedSecretFromKeyAgreement(with: key) else { return nil }
        deviceSecrets[device] = (acbCertificate, secret)
        return secret
    }

    /// The device's certificate for a key usage, as the SMKI Repository publishes it: issued by
    /// the Device CA, valid from the CA's own start until 9999-12-31, with a serial derived from
    /// the seed, so every field is the same each time it is asked for.
    ///
    /// *(model)* The CA signs it when it is asked for. swift-crypto's ECDSA signatures are
    /// randomised, so the signature (and with it the certificate's SHA-1 and SHA-256) differs
    /// between issues; the key, serial, names and validity do not.
    /// - Throws: when the keyring has no Device CA, or the certificate cannot be built.
    public func certificate(for device: EUI64, usage: AnchorCore.KeyUsage) throws -> OrganisationCertificate {
        guard let authority else { throw CertificateCheckError(.unreadable, "no Device CA: the device keyring could not be made") }
        let publicKey = switch usage {
        case .digitalSigning: signingKey(for: device).publicKey
        case .keyAgreement: try P256.Signing.PublicKey(rawRepresentation: keyAgreementKey(for: device).publicKey.rawRepresentation)
        }
        let serial = Array(SHA256.hash(data: seed + Array("serial".utf8) + device.octets + [usage == .digitalSigning ? 1 : 2]).prefix(16))
        return try authority.issueDeviceCertificate(
            for: device, usage: usage, publicKey: publicKey, serial: serial.withPositiveTop,
            validFrom: authority.certificate.certificate.notValidBefore)
    }

    private func derive<Key>(_ device: EUI64, usage: AnchorCore.KeyUsage, _ make: ([UInt8]) throws -> Key) -> Key {
        let prefix = seed + [usage == .digitalSigning ? 0x01 : 0x02] + device.octets
        var attempt: UInt8 = 0
        while true {
            if let key = try? make(Array(SHA256.hash(data: prefix + [attempt]))) { return key }
            attempt &+= 1
        }
    }
}
