import AnchorCore
import Crypto
import Foundation

/// The files' worth of SMKI material for an estate: the demo CA, one certificate per ledger
/// certificate, each organisation's DS and KA private keys, and the simulated devices' keyring. ``CredentialVault`` (in the
/// store) keeps it on disk; ``credentials(for:)`` turns it into what the wire needs.
public struct CredentialMaterial: Sendable {
    /// The issuing CA.
    public var authority: DemoIssuingAuthority
    /// Certificate ID → certificate.
    public var certificates: [String: OrganisationCertificate]
    /// `<organisation>-ds` / `<organisation>-ka` → private key.
    public var privateKeys: [String: P256.Signing.PrivateKey]
    /// The simulated devices' keyring.
    public var devices: DeviceKeyring

    /// Creates material.
    public init(authority: DemoIssuingAuthority, certificates: [String: OrganisationCertificate],
                privateKeys: [String: P256.Signing.PrivateKey], devices: DeviceKeyring) {
        self.authority = authority
        self.certificates = certificates
        self.privateKeys = privateKeys
        self.devices = devices
    }

    /// The key file name for an organisation's key of a usage: `cadent-ds`.
    public static func keyName(organisation: String, usage: AnchorCore.KeyUsage) -> String {
        organisation + "-" + usage.rawValue.lowercased()
    }

    /// New random material for every certificate in the ledger (at `init` time); the keys in
    /// `keeping` (by key name, `cadent-ds`) are used instead of new ones for their organisations.
    /// - Throws: when a certificate cannot be built.
    public static func generate(
        for ledger: Ledger, validFrom: Date, keeping: [String: P256.Signing.PrivateKey] = [:]
    ) throws -> CredentialMaterial {
        try generate(
            for: ledger, validFrom: validFrom, authority: try DemoIssuingAuthority(key: P256.Signing.PrivateKey(), validFrom: validFrom),
            keyFor: { organisation, usage in keeping[keyName(organisation: organisation.id, usage: usage)] ?? P256.Signing.PrivateKey() },
            serialFor: { _ in (0..<16).map { _ in UInt8.random(in: 0...255) }.withPositiveTop },
            devices: try DeviceKeyring.generate(validFrom: validFrom))
    }

    /// Material with keys and serials from the given functions.
    /// - Throws: when a certificate cannot be built.
    public static func generate(
        for ledger: Ledger, validFrom: Date, authority: DemoIssuingAuthority,
        keyFor: (Organisation, AnchorCore.KeyUsage) throws -> P256.Signing.PrivateKey, serialFor: (String) -> [UInt8],
        devices: DeviceKeyring
    ) throws -> CredentialMaterial {
        var material = CredentialMaterial(authority: authority, certificates: [:], privateKeys: [:], devices: devices)
        try material.complete(for: ledger, validFrom: validFrom, keyFor: keyFor, serialFor: serialFor)
        return material
    }

    /// Adds keys and certificates for whatever in the ledger has none yet; returns what it added.
    /// - Throws: when a certificate cannot be built.
    @discardableResult
    public mutating func complete(
        for ledger: Ledger, validFrom: Date,
        keyFor: (Organisation, AnchorCore.KeyUsage) throws -> P256.Signing.PrivateKey = { _, _ in P256.Signing.PrivateKey() },
        serialFor: (String) -> [UInt8] = { _ in (0..<16).map { _ in UInt8.random(in: 0...255) }.withPositiveTop }
    ) throws -> [String] {
        var added: [String] = []
        for certificate in ledger.certificates where certificates[certificate.id] == nil {
            guard let owner = ledger.organisation(certificate.owner) else { continue }
            let name = CredentialMaterial.keyName(organisation: owner.id, usage: certificate.keyUsage)
            let key = try privateKeys[name] ?? keyFor(owner, certificate.keyUsage)
            if privateKeys[name] == nil {
                privateKeys[name] = key
                added.append("keys/" + name)
            }
            certificates[certificate.id] = try authority.issue(
                for: owner, usage: certificate.keyUsage, publicKey: key.publicKey, serial: serialFor(certificate.id), validFrom: validFrom)
            added.append(certificate.id)
        }
        return added
    }

    /// The directory, signing keys, the ACB's MAC key and the device keyring for the wire.
    public func credentials(for ledger: Ledger) -> EstateCredentials {
        var directory = CertificateDirectory()
        for (id, certificate) in certificates { directory.insert(certificate, id: id) }
        var keys: [EUI64: P256.Signing.PrivateKey] = [:]
        var acbKeyAgreement: P256.KeyAgreement.PrivateKey?
        for organisation in ledger.organisations {
            if let key = privateKeys[CredentialMaterial.keyName(organisation: organisation.id, usage: .digitalSigning)] {
                keys[organisation.entityId] = key
            }
            if organisation.role == .acb,
               let key = privateKeys[CredentialMaterial.keyName(organisation: organisation.id, usage: .keyAgreement)] {
                acbKeyAgreement = try? P256.KeyAgreement.PrivateKey(rawRepresentation: key.rawRepresentation)
            }
        }
        return EstateCredentials(directory: directory, signingKeys: keys, acbKeyAgreementKey: acbKeyAgreement, deviceKeys: devices)
    }
}
