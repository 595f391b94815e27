import AnchorCore
import Crypto
import GBCS

/// The keys a GBCS message's signature and MAC are checked with (``MessageVerification``), each
/// with the file or record it came from so a check can name what it used.
///
/// Keys come from files named as DCC names them in its keystores (``add(fileNamed:contents:)``:
/// `<entity-id>-ds.pem`, `<entity-id>-ka.pem`, `<entity-id>-ka.key`) and from a store
/// (``addStore(_:estate:)``: its Organisation Certificates, the ACB's key-agreement key and its
/// simulated devices' keys).
public struct VerificationKeys: Sendable {
    /// A key and where it came from (a file name such as `00db1234567890a0-ka.pem`, or a store record).
    public struct Named<Key: Sendable>: Sendable {
        /// The key.
        public var key: Key
        /// The file or record it was read from.
        public var source: String
    }

    /// What a keystore file holds, by its name.
    public enum FileKind: Sendable, Equatable {
        /// `-ds.pem`: a Digital Signing certificate (or a bare public key).
        case signingCertificate
        /// `-ka.pem`: a Key Agreement certificate (or a bare public key).
        case keyAgreementCertificate
        /// `-ka.key`: a Key Agreement private key, PKCS#8 PEM.
        case keyAgreementPrivateKey
    }

    /// Digital Signing public keys by entity ID.
    public private(set) var signing: [EUI64: Named<P256.Signing.PublicKey>] = [:]
    /// Key Agreement public keys by entity ID.
    public private(set) var keyAgreement: [EUI64: Named<P256.KeyAgreement.PublicKey>] = [:]
    /// Key Agreement private keys by entity ID.
    public private(set) var keyAgreementPrivate: [EUI64: Named<P256.KeyAgreement.PrivateKey>] = [:]
    /// Entities whose certificates say they are the ACB.
    public private(set) var accessControlBrokers: Set<EUI64> = []
    /// Entities whose certificates are device certificates (their ID in a hardwareModuleName).
    public private(set) var devices: Set<EUI64> = []
    private var keyring: DeviceKeyring?
    private var keyringDevices: Set<EUI64> = []

    /// No keys.
    public init() {}

    /// The entity and kind a keystore file's name says it holds (`00db1234567890a0-ka.pem`);
    /// `nil` for any other name, which a keystore reader passes over.
    public static func kind(ofFileNamed name: String) -> (entity: EUI64, kind: FileKind)? {
        let parts = name.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 16, parts[0].allSatisfy(\.isHexDigit), let raw = UInt64(parts[0], radix: 16) else { return nil }
        let kind: FileKind
        switch parts[1] {
        case "ds.pem": kind = .signingCertificate
        case "ka.pem": kind = .keyAgreementCertificate
        case "ka.key": kind = .keyAgreementPrivateKey
        default: return nil
        }
        return (EUI64(rawValue: raw), kind)
    }

    /// Adds the key a keystore file holds.
    ///
    /// A `.pem` holds a certificate (read as DCC's are, see ``OrganisationCertificate``) or, as
    /// DCC's keystore does for one entity, a bare `PUBLIC KEY`; a `.key` a PKCS#8 private key.
    /// - Returns: why the file was left out, for a warning that names it; `nil` when its key was added.
    public mutating func add(fileNamed name: String, contents: [UInt8]) -> String? {
        guard let (entity, kind) = Self.kind(ofFileNamed: name) else { return "its name is not <16 hex digits>-ds.pem, -ka.pem or -ka.key" }
        let text = String(decoding: contents, as: UTF8.self)
        switch kind {
        case .keyAgreementPrivateKey:
            guard let key = try? P256.KeyAgreement.PrivateKey(pemRepresentation: text) else { return "not a P-256 private key in PEM" }
            keyAgreementPrivate[entity] = Named(key: key, source: name)
        case .signingCertificate, .keyAgreementCertificate:
            if text.contains("-----BEGIN PUBLIC KEY-----") {
                return addPublicKey(text, entity: entity, kind: kind, source: name)
            }
            let certificate: OrganisationCertificate
            do {
                certificate = try OrganisationCertificate(pem: text)
            } catch {
                return "not a certificate: \(error.reason)"
            }
            // The file's name says whose key it is, as in DCC's keystores, where one file holds another
            // entity's certificate (RTDS 4.5.0's `90b3d51f30000007-ka.pem` is a Supplier's).
            guard let publicKey = certificate.publicKey else { return "the key is \(certificate.keyAlgorithm), not ECDSA P-256" }
            if certificate.deviceId == entity { devices.insert(entity) }
            if kind == .signingCertificate {
                signing[entity] = Named(key: publicKey, source: name)
            } else if let agreement = certificate.keyAgreementKey {
                keyAgreement[entity] = Named(key: agreement, source: name)
                if certificate.role == .acb { accessControlBrokers.insert(entity) }
            }
        }
        return nil
    }

    private mutating func addPublicKey(_ text: String, entity: EUI64, kind: FileKind, source: String) -> String? {
        if kind == .signingCertificate {
            guard let key = try? P256.Signing.PublicKey(pemRepresentation: text) else { return "not a P-256 public key in PEM" }
            signing[entity] = Named(key: key, source: source)
        } else {
            guard let key = try? P256.KeyAgreement.PublicKey(pemRepresentation: text) else { return "not a P-256 public key in PEM" }
            keyAgreement[entity] = Named(key: key, source: source)
        }
        return nil
    }

    /// Adds what a store's SMKI folder holds: its organisations' certificates, the ACB's key-agreement
    /// key, and its simulated devices' keys.
    public mutating func addStore(_ material: CredentialMaterial, estate: Estate) {
        let ledger = estate.ledger
        for organisation in ledger.organisations {
            for entry in ledger.certificates(ownedBy: organisation.id) {
                guard let certificate = material.certificates[entry.id] else { continue }
                let source = "the store's certificate \(entry.id)"
                switch entry.keyUsage {
                case .digitalSigning: certificate.publicKey.map { signing[organisation.entityId] = Named(key: $0, source: source) }
                case .keyAgreement: certificate.keyAgreementKey.map { keyAgreement[organisation.entityId] = Named(key: $0, source: source) }
                }
            }
            if organisation.role == .acb {
                accessControlBrokers.insert(organisation.entityId)
                let name = CredentialMaterial.keyName(organisation: organisation.id, usage: .keyAgreement)
                if let key = material.privateKeys[name], let agreement = try? P256.KeyAgreement.PrivateKey(rawRepresentation: key.rawRepresentation) {
                    keyAgreementPrivate[organisation.entityId] = Named(key: agreement, source: "the store's key \(name)")
                }
            }
        }
        if material.devices.authority != nil {
            keyring = material.devices
            keyringDevices = Set(estate.devices.indices.map { estate.devices.id(at: $0) })
        }
    }

    /// Whether `entity` is a device: a device certificate names it, or it is one of the store's.
    public func isDevice(_ entity: EUI64) -> Bool {
        devices.contains(entity) || keyringDevices.contains(entity)
    }

    private var simulatedSource: String { "the store's simulated device keys" }

    /// The Digital Signing public key of a signer.
    public func signingKey(of entity: EUI64) -> Named<P256.Signing.PublicKey>? {
        if let key = signing[entity] { return key }
        guard keyringDevices.contains(entity), let keyring else { return nil }
        return Named(key: keyring.signingKey(for: entity).publicKey, source: simulatedSource)
    }

    /// The Key Agreement public key of an entity.
    public func keyAgreementKey(of entity: EUI64) -> Named<P256.KeyAgreement.PublicKey>? {
        if let key = keyAgreement[entity] { return key }
        guard keyringDevices.contains(entity), let keyring else { return nil }
        return Named(key: keyring.keyAgreementKey(for: entity).publicKey, source: simulatedSource)
    }

    /// The Key Agreement private key of an entity.
    public func keyAgreementPrivateKey(of entity: EUI64) -> Named<P256.KeyAgreement.PrivateKey>? {
        if let key = keyAgreementPrivate[entity] { return key }
        guard keyringDevices.contains(entity), let keyring else { return nil }
        return Named(key: keyring.keyAgreementKey(for: entity), source: simulatedSource)
    }

    /// The secret two entities' key-agreement keys share, from whichever side's private key is
    /// held, with the two keys' sources; `nil` when neither side's is.
    public func sharedSecret(_ first: EUI64, _ second: EUI64) -> (secret: SharedSecret, sources: [String])? {
        for (own, other) in [(first, second), (second, first)] {
            if let privateKey = keyAgreementPrivateKey(of: own), let publicKey = keyAgreementKey(of: other),
               let secret = try? privateKey.key.sharedSecretFromKeyAgreement(with: publicKey.key) {
                return (secret, [privateKey.source, publicKey.source])
            }
        }
        return nil
    }
}
