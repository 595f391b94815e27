import AnchorCore
import Crypto
import Foundation
import GBCS
import SMKI

/// A DCC User's own key directory: the private keys a Supplier or Network Operator signs with,
/// named as DCC's keystores name them (`<entity-id>-ds.key`, `<entity-id>-ka.key`, PKCS#8 PEM,
/// with `<entity-id>-ds.pem` / `-ka.pem` beside them), so the same folder serves
/// `gbcs decode --verify --keys`.
///
/// A store never needs one: the DCC keeps only its own keys (``CredentialVault``). `init --demo`
/// writes the demo Users' keys to one and labels it; a request `--as` a User signs with the key
/// found in `--keys DIR`, `$ANCHORDESK_KEYS` or the demo store's folder.
public struct UserKeyDirectory: Sendable, Equatable {
    /// The folder a demo store keeps its demo Users' keys in, inside the store directory.
    public static let demoFolderName = "demo-user-keys"
    /// The label file written into a demo key directory.
    public static let labelName = "DEMO-KEYS-README.txt"
    /// The SMKI Organisation CA's certificate kept beside a User's keys: it issued every
    /// Organisation Certificate, so an operator's machine checks against it the certificates a
    /// DSP asks it to sign for (a DSP, or whoever answers in its name, could make its own).
    public static let organisationCAName = "smki-organisation-ca.pem"

    /// The folder.
    public let path: String

    /// A key directory at `path`.
    public init(path: String) {
        self.path = path
    }

    /// `<entity-id>` as DCC's keystores write it: 16 lowercase hex digits.
    public static func fileStem(_ entity: EUI64) -> String {
        Hex.string(entity.octets).lowercased()
    }

    /// The path of an entity's private key file of a usage.
    public func keyPath(_ entity: EUI64, _ usage: AnchorCore.KeyUsage) -> String {
        path + "/" + UserKeyDirectory.fileStem(entity) + (usage == .digitalSigning ? "-ds.key" : "-ka.key")
    }

    func certificatePath(_ entity: EUI64, _ usage: AnchorCore.KeyUsage) -> String {
        path + "/" + KeystoreDirectory.certificateName(entity, usage)
    }

    /// The entity's private key of a usage, or `nil` if the folder has none.
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not a P-256 private key; `.untrusted`
    ///   for one others may read (``PrivateKeyFile``).
    public func key(_ entity: EUI64, _ usage: AnchorCore.KeyUsage) throws(StoreError) -> P256.Signing.PrivateKey? {
        let file = keyPath(entity, usage)
        guard let bytes = try PrivateKeyFile.read(file, followingLinks: true) else { return nil }
        guard let key = try? P256.Signing.PrivateKey(pemRepresentation: String(decoding: bytes, as: UTF8.self)) else {
            throw StoreError(code: .corrupt, message: "not a readable P-256 private key", path: file)
        }
        return key
    }

    /// Writes a key (0600) and, when given, its certificate, creating the folder (0700). A key
    /// already there is never replaced by another unless `replacingKey` (a key the user imports):
    /// other stores may sign with it.
    /// - Throws: ``StoreError``; `.alreadyExists` naming the file when it holds another key.
    public func write(_ key: P256.Signing.PrivateKey, certificate: OrganisationCertificate?, for entity: EUI64,
                      usage: AnchorCore.KeyUsage, replacingKey: Bool = false) throws(StoreError) {
        try StoreDirectory.create(path: path)
        try writeKey(key, to: keyPath(entity, usage), replacing: replacingKey)
        if let certificate { try AtomicFile.write(Array(certificate.pem.utf8), to: certificatePath(entity, usage)) }
    }

    /// Writes `key` to `file` unless the file holds that very key already.
    /// - Throws: ``StoreError`` `.alreadyExists` when it holds another key and `replacing` is false.
    func writeKey(_ key: P256.Signing.PrivateKey, to file: String, replacing: Bool) throws(StoreError) {
        if let held = try PrivateKeyFile.read(file, followingLinks: true) {
            let existing = try? P256.Signing.PrivateKey(pemRepresentation: String(decoding: held, as: UTF8.self))
            if existing?.rawRepresentation == key.rawRepresentation { return }
            guard replacing else {
                throw StoreError(code: .alreadyExists, message: "holds another private key, and a key in a key folder is never "
                                 + "overwritten (another store may sign with it); move it away first if it is no longer needed", path: file)
            }
        }
        try AtomicFile.write(Array(key.pemRepresentation.utf8), to: file)
    }

    /// Whether demo keys may go here: the folder is missing, empty of keys, or already labelled as demo keys.
    public var holdsOnlyDemoKeys: Bool {
        foreignKeyFile == nil
    }

    /// A key file in the folder when it is not labelled as demo keys (the first, by name): demo
    /// keys never go among real ones.
    public var foreignKeyFile: String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path), !names.contains(UserKeyDirectory.labelName) else {
            return nil
        }
        return names.sorted().first { $0.hasSuffix(".key") }.map { path + "/" + $0 }
    }

    /// The Digital Signing and Key Agreement keys the folder already holds for `ledger`'s Users,
    /// by key name (`cadent-ds`), so a new demo store over the same folder signs with them and
    /// makes its certificates for them rather than replacing them. Each User's XML-signing key
    /// is read too, so one that cannot be used is named now, before anything is made.
    /// - Throws: ``StoreError`` naming a key file that is not a P-256 key or that others may read.
    public func keys(for ledger: Ledger) throws(StoreError) -> [String: P256.Signing.PrivateKey] {
        var keys: [String: P256.Signing.PrivateKey] = [:]
        guard StoreDirectory.exists(path: path) else { return keys }
        for organisation in ledger.organisations where !CredentialVault.isHeldByDCC(organisation.role) {
            for usage in AnchorCore.KeyUsage.allCases {
                keys[CredentialMaterial.keyName(organisation: organisation.id, usage: usage)] = try key(organisation.entityId, usage)
            }
            _ = try xmlSigningKey(organisation.entityId)
        }
        return keys
    }

    /// The SMKI Organisation CA's certificate, if the folder keeps one.
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not a certificate.
    public func organisationCA() throws(StoreError) -> OrganisationCertificate? {
        let file = path + "/" + UserKeyDirectory.organisationCAName
        guard let bytes = try FileIO.readFile(file, operation: "could not read") else { return nil }
        do {
            return try OrganisationCertificate(pem: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw StoreError(code: .corrupt, message: "not a readable certificate: \(error.reason)", path: file)
        }
    }

    /// Keeps the SMKI Organisation CA's certificate beside the keys.
    /// - Throws: ``StoreError``.
    public func writeOrganisationCA(_ certificate: OrganisationCertificate) throws(StoreError) {
        try StoreDirectory.create(path: path)
        try AtomicFile.write(Array(certificate.pem.utf8), to: path + "/" + UserKeyDirectory.organisationCAName)
    }

    /// Marks the folder as demo keys.
    /// - Throws: ``StoreError``.
    public func writeDemoLabel() throws(StoreError) {
        try StoreDirectory.create(path: path)
        try AtomicFile.write(Array("""
            DEMO KEYS. These are the private keys of the demo's DCC Users (Suppliers and Network
            Operators), made by `anchordesk init --demo` so the demo works out of the box. In real
            use a User's private key belongs to that User alone: AnchorDesk signs `--as` a User only
            with a key from that User's own key directory (--keys DIR or $ANCHORDESK_KEYS).

            """.utf8), to: path + "/" + UserKeyDirectory.labelName)
    }
}
