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
    static let labelName = "DEMO-KEYS-README.txt"

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
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not a P-256 private key.
    public func key(_ entity: EUI64, _ usage: AnchorCore.KeyUsage) throws(StoreError) -> P256.Signing.PrivateKey? {
        let file = keyPath(entity, usage)
        guard let bytes = try FileIO.readFile(file, operation: "could not read") else { return nil }
        guard let key = try? P256.Signing.PrivateKey(pemRepresentation: String(decoding: bytes, as: UTF8.self)) else {
            throw StoreError(code: .corrupt, message: "not a readable P-256 private key", path: file)
        }
        return key
    }

    /// Writes a key (0600) and, when given, its certificate, creating the folder (0700).
    /// - Throws: ``StoreError``.
    public func write(_ key: P256.Signing.PrivateKey, certificate: OrganisationCertificate?, for entity: EUI64,
                      usage: AnchorCore.KeyUsage) throws(StoreError) {
        try StoreDirectory.create(path: path)
        try AtomicFile.write(Array(key.pemRepresentation.utf8), to: keyPath(entity, usage))
        if let certificate { try AtomicFile.write(Array(certificate.pem.utf8), to: certificatePath(entity, usage)) }
    }

    /// Whether demo keys may go here: the folder is missing, empty of keys, or already labelled as demo keys.
    public var holdsOnlyDemoKeys: Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return true }
        return names.contains(UserKeyDirectory.labelName) || !names.contains { $0.hasSuffix(".key") }
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
