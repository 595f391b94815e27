import AnchorCore
import Crypto
import Foundation
import GBCS
import SMKI

/// The store's SMKI material, beside the snapshot and journal and never in them:
///
/// ```
/// smki/issuing-ca.pem            the demo issuing CA's certificate
/// smki/<certificate-id>.pem      one Organisation Certificate per certificate in the ledger
/// smki/keys/issuing-ca.key       private keys (PKCS#8 PEM), 0600 in a 0700 directory
/// smki/keys/<organisation>-ds.key, <organisation>-ka.key
/// smki/device-ca.pem             the demo Device CA's certificate (simulated GPFs)
/// smki/keys/device-ca.key        its private key
/// smki/keys/devices.seed         the secret the simulated GPFs' own keys derive from (hex)
/// ```
public struct CredentialVault: Sendable {
    /// The folder name inside the store directory.
    public static let folderName = "smki"
    static let authorityName = "issuing-ca"
    static let deviceAuthorityName = "device-ca"
    static let deviceSeedName = "devices.seed"

    /// The vault's folder.
    public let path: String

    /// The vault of the store in `storeDirectory`.
    public init(storeDirectory: String) {
        path = (storeDirectory.hasSuffix("/") ? storeDirectory : storeDirectory + "/") + CredentialVault.folderName
    }

    var keysPath: String { path + "/keys" }

    /// The path of a certificate's PEM file.
    public func certificatePath(_ id: String) -> String { path + "/" + id + ".pem" }

    /// The path of a private key file (`cadent-ds`).
    public func keyPath(_ name: String) -> String { keysPath + "/" + name + ".key" }

    /// Reads what the vault holds for a ledger, or `nil` if the store has no vault yet.
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not the PEM it should be.
    public func load(for ledger: Ledger) throws(StoreError) -> CredentialMaterial? {
        guard let authorityPEM = try readText(path + "/" + CredentialVault.authorityName + ".pem"),
              let authorityKeyPEM = try readText(keyPath(CredentialVault.authorityName))
        else { return nil }
        let authority = DemoIssuingAuthority(
            key: try privateKey(authorityKeyPEM, path: keyPath(CredentialVault.authorityName)),
            certificate: try certificate(authorityPEM, path: path + "/" + CredentialVault.authorityName + ".pem"))
        var material = CredentialMaterial(
            authority: authority, certificates: [:], privateKeys: [:], devices: try loadDeviceKeyring() ?? DeviceKeyring(seed: [], authority: nil))
        for entry in ledger.certificates {
            guard CredentialVault.isSafeName(entry.id), let pem = try readText(certificatePath(entry.id)) else { continue }
            material.certificates[entry.id] = try certificate(pem, path: certificatePath(entry.id))
        }
        for organisation in ledger.organisations {
            for usage in KeyUsage.allCases {
                let name = CredentialMaterial.keyName(organisation: organisation.id, usage: usage)
                guard CredentialVault.isSafeName(name), let pem = try readText(keyPath(name)) else { continue }
                material.privateKeys[name] = try privateKey(pem, path: keyPath(name))
            }
        }
        return material
    }

    /// The credentials for a ledger: what the vault holds, with keys and certificates made (and
    /// written) for anything it lacks; a store without a vault gets a new demo CA.
    /// - Parameter validFrom: the start of validity of any certificate made now.
    /// - Throws: ``StoreError`` when the vault cannot be read or written.
    public func credentials(for ledger: Ledger, validFrom: Date) throws(StoreError) -> EstateCredentials {
        var material: CredentialMaterial
        var added: [String]
        do {
            if let loaded = try load(for: ledger) {
                material = loaded
                added = try material.complete(for: ledger, validFrom: validFrom)
                if material.devices.authority == nil {
                    material.devices = try DeviceKeyring.generate(validFrom: validFrom)
                    added.append(CredentialVault.deviceAuthorityName)
                }
            } else {
                material = try CredentialMaterial.generate(for: ledger, validFrom: validFrom)
                added = [CredentialVault.authorityName] + material.certificates.keys.sorted()
                    + material.privateKeys.keys.sorted().map { "keys/" + $0 }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .io, message: "could not make SMKI credentials: \(error)", path: path)
        }
        if !added.isEmpty { try save(material) }
        return material.credentials(for: ledger)
    }

    /// Writes every file of `material` (each atomically, 0600, folders 0700).
    /// - Throws: ``StoreError``.
    public func save(_ material: CredentialMaterial) throws(StoreError) {
        try StoreDirectory.create(path: path)
        try StoreDirectory.create(path: keysPath)
        try write(material.authority.certificate.pem, to: path + "/" + CredentialVault.authorityName + ".pem")
        try write(material.authority.key.pemRepresentation, to: keyPath(CredentialVault.authorityName))
        for (id, certificate) in material.certificates.sorted(by: { $0.key < $1.key }) {
            try write(certificate.pem, to: certificatePath(try CredentialVault.checkedName(id)))
        }
        for (name, key) in material.privateKeys.sorted(by: { $0.key < $1.key }) {
            try write(key.pemRepresentation, to: keyPath(try CredentialVault.checkedName(name)))
        }
        if let deviceAuthority = material.devices.authority {
            try write(deviceAuthority.certificate.pem, to: path + "/" + CredentialVault.deviceAuthorityName + ".pem")
            try write(deviceAuthority.key.pemRepresentation, to: keyPath(CredentialVault.deviceAuthorityName))
            try write(Hex.string(material.devices.seed) + "\n", to: keysPath + "/" + CredentialVault.deviceSeedName)
        }
    }

    /// The simulated devices' keyring, or `nil` in a store made before devices had keys.
    private func loadDeviceKeyring() throws(StoreError) -> DeviceKeyring? {
        let certificatePath = path + "/" + CredentialVault.deviceAuthorityName + ".pem"
        let seedPath = keysPath + "/" + CredentialVault.deviceSeedName
        guard let pem = try readText(certificatePath), let keyPEM = try readText(keyPath(CredentialVault.deviceAuthorityName)),
              let seedText = try readText(seedPath)
        else { return nil }
        guard let seed = try? Hex.bytes(seedText.trimmingCharacters(in: .whitespacesAndNewlines)), seed.count == 32 else {
            throw StoreError(code: .corrupt, message: "not a 32-octet hex seed", path: seedPath)
        }
        let authority = DemoIssuingAuthority(
            key: try privateKey(keyPEM, path: keyPath(CredentialVault.deviceAuthorityName)), certificate: try certificate(pem, path: certificatePath))
        return DeviceKeyring(seed: seed, authority: authority)
    }

    /// Replaces one certificate's PEM (and, if given, the owner's private key of that usage).
    /// - Throws: ``StoreError``.
    public func replace(certificate id: String, with certificate: OrganisationCertificate,
                        key: (name: String, key: P256.Signing.PrivateKey)?) throws(StoreError) {
        try StoreDirectory.create(path: path)
        try StoreDirectory.create(path: keysPath)
        try write(certificate.pem, to: certificatePath(try CredentialVault.checkedName(id)))
        if let key { try write(key.key.pemRepresentation, to: keyPath(try CredentialVault.checkedName(key.name))) }
    }

    /// Whether an ID can name a file in the vault (no path separators, not hidden).
    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0")
    }

    static func checkedName(_ name: String) throws(StoreError) -> String {
        guard isSafeName(name) else { throw StoreError.invalidArgument("'\(name)' cannot name a file in the SMKI folder") }
        return name
    }

    private func write(_ text: String, to file: String) throws(StoreError) {
        try AtomicFile.write(Array(text.utf8), to: file)
    }

    private func readText(_ file: String) throws(StoreError) -> String? {
        try FileIO.readFile(file, operation: "could not read").map { String(decoding: $0, as: UTF8.self) }
    }

    private func certificate(_ pem: String, path file: String) throws(StoreError) -> OrganisationCertificate {
        do {
            return try OrganisationCertificate(pem: pem)
        } catch {
            throw StoreError(code: .corrupt, message: "not a readable certificate: \(error.reason)", path: file)
        }
    }

    private func privateKey(_ pem: String, path file: String) throws(StoreError) -> P256.Signing.PrivateKey {
        do {
            return try P256.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw StoreError(code: .corrupt, message: "not a readable P-256 private key", path: file)
        }
    }
}
