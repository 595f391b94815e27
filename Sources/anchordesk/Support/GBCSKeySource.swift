import AnchorCore
import AnchorStore
import Crypto
import Foundation
import GBCS
import SMKI

/// The keys `gbcs decode --verify` checks with: from a key directory (`<entity-id>-ds.pem`,
/// `<entity-id>-ka.pem`, `<entity-id>-ka.key`, as in DCC's keystores) and, with `--store`, from the
/// store's SMKI folder (Organisation Certificates, the ACB's KA key, the simulated devices' keys).
struct GBCSKeySource {
    /// Digital Signing public keys by entity ID.
    var signing: [EUI64: P256.Signing.PublicKey] = [:]
    /// Key Agreement public keys by entity ID.
    var keyAgreement: [EUI64: P256.KeyAgreement.PublicKey] = [:]
    /// Key Agreement private keys by entity ID.
    var keyAgreementPrivate: [EUI64: P256.KeyAgreement.PrivateKey] = [:]
    /// Entities whose certificates say they are the ACB.
    var accessControlBrokers: Set<EUI64> = []
    /// The simulated devices' keys, when a store was named.
    var devices: DeviceKeyring?
    /// The devices of that store: only theirs come from the keyring.
    var storeDevices: Set<EUI64> = []

    /// Reads every `<16 hex digits>-ds.pem`, `-ka.pem` and `-ka.key` in `path`.
    /// - Throws: ``CLIFailure`` (bad input) for a folder that cannot be read or a file that is not what its name says;
    ///   (exit 3) for a private key others may read.
    mutating func addDirectory(_ path: String) throws(CLIFailure) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw CLIFailure.badInput("cannot read the key directory \(Presentation.safe(path))", code: "bad-keys")
        }
        for name in names {
            let parts = name.split(separator: "-", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 16, let raw = UInt64(parts[0], radix: 16) else { continue }
            let entity = EUI64(rawValue: raw)
            let file = (path as NSString).appendingPathComponent(name)
            switch parts[1] {
            case "ds.pem":
                signing[entity] = try certificate(file).publicKey
            case "ka.pem":
                let certificate = try certificate(file)
                keyAgreement[entity] = certificate.keyAgreementKey
                if certificate.role == .acb { accessControlBrokers.insert(entity) }
            case "ka.key":
                guard let text = try Credentials.privateKeyPEM(at: file), let key = try? P256.KeyAgreement.PrivateKey(pemRepresentation: text)
                else { throw CLIFailure.badInput("\(Presentation.safe(name)) is not a P-256 private key in PEM", code: "bad-keys") }
                keyAgreementPrivate[entity] = key
            default:
                continue
            }
        }
    }

    /// Adds what a store's SMKI folder holds, and the keys of its simulated devices.
    mutating func addStore(_ material: CredentialMaterial, estate: Estate) {
        let ledger = estate.ledger
        for organisation in ledger.organisations {
            for entry in ledger.certificates(ownedBy: organisation.id) {
                guard let certificate = material.certificates[entry.id] else { continue }
                switch entry.keyUsage {
                case .digitalSigning: signing[organisation.entityId] = certificate.publicKey
                case .keyAgreement: keyAgreement[organisation.entityId] = certificate.keyAgreementKey
                }
            }
            if organisation.role == .acb {
                accessControlBrokers.insert(organisation.entityId)
                if let key = material.privateKeys[CredentialMaterial.keyName(organisation: organisation.id, usage: .keyAgreement)] {
                    keyAgreementPrivate[organisation.entityId] = try? P256.KeyAgreement.PrivateKey(rawRepresentation: key.rawRepresentation)
                }
            }
        }
        if material.devices.authority != nil {
            devices = material.devices
            storeDevices = Set(estate.devices.devices.map(\.id))
        }
    }

    private func deviceKeys(_ entity: EUI64) -> DeviceKeyring? {
        storeDevices.contains(entity) ? devices : nil
    }

    /// The DS public key of a signer.
    func signingKey(of entity: EUI64) -> P256.Signing.PublicKey? {
        signing[entity] ?? deviceKeys(entity).map { $0.signingKey(for: entity).publicKey }
    }

    /// Every secret an ACB's key-agreement key can share with `device`'s that these keys allow
    /// (GBCS-WIRE.md §3: only the ACB's key with the device's keys a command's MAC).
    func macSecrets(device: EUI64) -> [SharedSecret] {
        var secrets: [SharedSecret] = []
        let devicePublic = keyAgreement[device] ?? deviceKeys(device).map { $0.keyAgreementKey(for: device).publicKey }
        for (entity, key) in keyAgreementPrivate where accessControlBrokers.contains(entity) {
            if let devicePublic, let secret = try? key.sharedSecretFromKeyAgreement(with: devicePublic) { secrets.append(secret) }
        }
        if let devicePrivate = keyAgreementPrivate[device] ?? deviceKeys(device).map({ $0.keyAgreementKey(for: device) }) {
            for acb in accessControlBrokers {
                if let acbKey = keyAgreement[acb], let secret = try? devicePrivate.sharedSecretFromKeyAgreement(with: acbKey) {
                    secrets.append(secret)
                }
            }
        }
        return secrets
    }

    private func certificate(_ file: String) throws(CLIFailure) -> OrganisationCertificate {
        let name = (file as NSString).lastPathComponent
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw CLIFailure.badInput("cannot read \(Presentation.safe(name))", code: "bad-keys")
        }
        do {
            return try OrganisationCertificate(pem: text)
        } catch {
            throw CLIFailure.badInput("\(Presentation.safe(name)) is not a certificate: \(error.reason)", code: "bad-keys")
        }
    }
}
