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
/// smki/keys/<organisation>-ds.key, <organisation>-ka.key   the DCC's own organisations only
///                                (ACB, Recovery, Root, WAN Provider, Transitional CoS)
/// smki/demo-user-keys.path       a demo store only: where its demo Users' keys are
/// smki/device-ca.pem             the demo Device CA's certificate (simulated GPFs)
/// smki/keys/device-ca.key        its private key
/// smki/keys/devices.seed         the secret the simulated GPFs' own keys derive from (hex)
/// smki/xml-signing/<entity>.pem  DUIS XML-signing certificates: Users' (OU=87) and the DSP's (OU=89)
/// smki/keys/dsp-xml.key          the DSP's XML-signing key
/// ```
public struct CredentialVault: Sendable {
    /// The folder name inside the store directory.
    public static let folderName = "smki"
    static let authorityName = "issuing-ca"
    static let deviceAuthorityName = "device-ca"
    static let deviceSeedName = "devices.seed"

    static let demoUserKeysRecord = "demo-user-keys.path"
    /// The file naming a demo store's User key folder: a path on this machine, never shared.
    public static var demoUserKeysRecordName: String { demoUserKeysRecord }

    /// The vault's folder.
    public let path: String
    /// The store directory.
    public let storeDirectory: String
    /// The User key directory named for this run (`--keys DIR` or `$ANCHORDESK_KEYS`), read before the demo store's own.
    public let userKeys: UserKeyDirectory?

    /// The vault of the store in `storeDirectory`, with Users' keys read from `userKeys` (then the demo store's folder).
    public init(storeDirectory: String, userKeys: String? = nil) {
        self.storeDirectory = storeDirectory
        path = (storeDirectory.hasSuffix("/") ? storeDirectory : storeDirectory + "/") + CredentialVault.folderName
        self.userKeys = userKeys.map(UserKeyDirectory.init(path:))
    }

    /// Whether the DCC holds this role's private keys: everyone's but the DCC Users' (Suppliers and Network Operators).
    public static func isHeldByDCC(_ role: OrganisationRole) -> Bool {
        role != .supplier && role != .networkOperator
    }

    /// The demo Users' key directory a demo store names, if it names one.
    /// - Throws: ``StoreError`` when the record cannot be read.
    public func demoUserKeys() throws(StoreError) -> UserKeyDirectory? {
        try readText(path + "/" + CredentialVault.demoUserKeysRecord).map {
            UserKeyDirectory(path: $0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Makes `directory` the demo store's User key directory: labels it and records it in the vault.
    /// - Throws: ``StoreError``.
    public func recordDemoUserKeys(_ directory: UserKeyDirectory) throws(StoreError) {
        let absolute = UserKeyDirectory(path: URL(fileURLWithPath: directory.path).standardizedFileURL.path)
        guard absolute.holdsOnlyDemoKeys else {
            throw StoreError.invalidArgument(
                "\(absolute.path) holds keys but is not a demo key folder: demo keys never go among real ones; name an empty folder")
        }
        try StoreDirectory.create(path: path)
        try absolute.writeDemoLabel()
        try write(absolute.path + "\n", to: path + "/" + CredentialVault.demoUserKeysRecord)
    }

    /// Makes the store name no demo key directory (a store made again from other data).
    /// - Throws: ``StoreError`` when the record cannot be removed.
    public func forgetDemoUserKeys() throws(StoreError) {
        let record = path + "/" + CredentialVault.demoUserKeysRecord
        if unlink(record) != 0 && errno != ENOENT {
            throw StoreError(code: .io, message: "could not remove the demo key record", path: record)
        }
    }

    var keysPath: String { path + "/keys" }

    /// Refuses a vault that holds the DCC's certificates but not the private files they need
    /// (``neededPrivateFiles()``): making credentials there would make a new CA, Device CA or
    /// devices' seed of its own, which no device trusts (and a new seed would overwrite the one
    /// the folder holds). With none of them, this is not one of the DSP's hosts (a PostgreSQL
    /// store's machine has the public files only): `.notAuthorised`. With some, the folder lost
    /// the others: `.notFound`, naming them.
    func requirePrivateKeys() throws(StoreError) {
        let needed = neededPrivateFiles()
        let missing = needed.filter { !FileManager.default.fileExists(atPath: $0) }
        guard !missing.isEmpty else { return }
        guard missing.count < needed.count else {
            throw StoreError(code: .notAuthorised,
                             message: "this machine holds the DCC's certificates but none of its private keys (\(keysPath)), so it is not the DSP's host "
                                 + "and decides nothing; run on the DSP's host, or send requests through its operator API (--store https://HOST:PORT)",
                             path: path)
        }
        throw lostPrivateFiles(missing)
    }

    /// The private files the vault's certificates need, by path: the issuing CA's key beside its
    /// certificate, and the Device CA's key and the devices' seed beside the Device CA's.
    private func neededPrivateFiles() -> [String] {
        var needed: [String] = []
        if FileManager.default.fileExists(atPath: certificatePath(CredentialVault.authorityName)) {
            needed.append(keyPath(CredentialVault.authorityName))
        }
        if FileManager.default.fileExists(atPath: certificatePath(CredentialVault.deviceAuthorityName)) {
            needed += [keyPath(CredentialVault.deviceAuthorityName), keysPath + "/" + CredentialVault.deviceSeedName]
        }
        return needed
    }

    /// The refusal of a vault that lost some of the DCC's private files (by path) its certificates need.
    func lostPrivateFiles(_ missing: [String]) -> StoreError {
        let names = missing.map { "keys/" + ($0 as NSString).lastPathComponent }.joined(separator: ", ")
        return StoreError(code: .notFound,
                          message: "the DCC's certificates here need \(names), which this machine's key folder does not hold; it decides nothing "
                              + "and makes none anew (nothing would trust a new one): put the DSP's own back (from a backup or another of its hosts)",
                          path: path)
    }

    /// The folder of the Repository's DUIS XML-signing certificates, `<entity-id>.pem`.
    var xmlSigningPath: String { path + "/xml-signing" }

    /// The path of a certificate's PEM file.
    public func certificatePath(_ id: String) -> String { path + "/" + id + ".pem" }

    /// The path of a private key file (`cadent-ds`).
    public func keyPath(_ name: String) -> String { keysPath + "/" + name + ".key" }

    /// Reads what the vault holds for a ledger, or `nil` if the store has no vault yet.
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not the PEM it should be.
    public func load(for ledger: Ledger) throws(StoreError) -> CredentialMaterial? {
        guard let authority = try loadAuthority() else { return nil }
        var material = CredentialMaterial(
            authority: authority, certificates: [:], privateKeys: [:], devices: try deviceKeyring() ?? DeviceKeyring(seed: [], authority: nil))
        for entry in ledger.certificates {
            guard CredentialVault.isSafeName(entry.id), let pem = try readText(certificatePath(entry.id)) else { continue }
            material.certificates[entry.id] = try certificate(pem, path: certificatePath(entry.id))
        }
        let userFolders = [userKeys, try demoUserKeys()].compactMap { $0 }
        for organisation in ledger.organisations {
            for usage in KeyUsage.allCases {
                let name = CredentialMaterial.keyName(organisation: organisation.id, usage: usage)
                if !CredentialVault.isHeldByDCC(organisation.role) {
                    for folder in userFolders where material.privateKeys[name] == nil {
                        material.privateKeys[name] = try folder.key(organisation.entityId, usage)
                    }
                    if material.privateKeys[name] != nil { continue }
                }
                // The DCC's own keys; for a User, a key a store made before Users kept their own keys.
                guard CredentialVault.isSafeName(name), let pem = try readSecret(keyPath(name)) else { continue }
                material.privateKeys[name] = try privateKey(pem, path: keyPath(name))
            }
        }
        return material
    }

    /// The Digital Signing keys held for the ledger's organisations (the DCC's in the vault or in
    /// the token `keyToken` names, the Users' from their key folders) against every
    /// certificate's public key, for the console's dry run; `nil` without a vault. A token that
    /// cannot be used holds no key here.
    /// - Throws: ``StoreError`` when the vault or a key folder cannot be read.
    public func signingKeyCheck(for ledger: Ledger, keyToken: PKCS11Settings? = nil) throws(StoreError) -> SigningKeyCheck? {
        guard let material = try load(for: ledger) else { return nil }
        var held: [EUI64: [UInt8]] = [:]
        for organisation in ledger.organisations {
            let name = CredentialMaterial.keyName(organisation: organisation.id, usage: .digitalSigning)
            if let key = material.privateKeys[name] { held[organisation.entityId] = Array(key.publicKey.rawRepresentation) }
        }
        if let token = try? tokenHeldKeys(keyToken, ledger: ledger, certificates: material.certificates) {
            for (owner, key) in token.signingPublicKeys { held[owner] = Array(key.rawRepresentation) }
        }
        return SigningKeyCheck(heldKeys: held, certificateKeys: material.certificates.compactMapValues { $0.publicKey.map { Array($0.rawRepresentation) } })
    }

    /// The credentials for a ledger: what the vault holds, with keys and certificates made (and
    /// written) for anything it lacks; a store without a vault gets a new demo CA.
    /// - Parameters:
    ///   - validFrom: the start of validity of any certificate made now.
    ///   - keyToken: the PKCS#11 token holding the DCC's keys, if one does (no file may then).
    /// - Throws: ``StoreError`` when the vault cannot be read or written, or the token used.
    public func credentials(for ledger: Ledger, validFrom: Date, keyToken: PKCS11Settings? = nil) throws(StoreError) -> EstateCredentials {
        try requirePrivateKeys()
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
        if !added.isEmpty { try save(material, ledger: ledger, only: Set(added)) }
        if try demoUserKeys() == nil {
            // A store that is not a demo keeps no User's key: one made just now (with a new
            // certificate) is not kept, and AnchorDesk cannot sign with it either.
            for key in CredentialVault.userKeys(in: ledger) where added.contains("keys/" + key.name) {
                material.privateKeys[key.name] = nil
            }
        }
        try moveLegacyUserKeys(ledger: ledger, certificates: material.certificates)
        var credentials = material.credentials(for: ledger)
        credentials.tokenHeldKeys = try tokenHeldKeys(keyToken, ledger: ledger, certificates: material.certificates)
        return credentials
    }

    /// A store made before Users kept their own keys holds them in `smki/keys`: each such file
    /// moves to the demo Users' key directory (made and recorded if need be) and leaves the vault.
    private func moveLegacyUserKeys(ledger: Ledger, certificates: [String: OrganisationCertificate]) throws(StoreError) {
        var folder: UserKeyDirectory?
        for (organisation, usage, name) in CredentialVault.userKeys(in: ledger) {
            guard CredentialVault.isSafeName(name), let pem = try readSecret(keyPath(name)) else { continue }
            let key = try privateKey(pem, path: keyPath(name))
            if folder == nil {
                let target = try demoUserKeys() ?? UserKeyDirectory(path: storeDirectory + "/" + UserKeyDirectory.demoFolderName)
                try recordDemoUserKeys(target)
                folder = target
            }
            let certificate = CredentialVault.certificate(of: organisation, usage: usage, in: ledger, from: certificates)
            try folder?.write(key, certificate: certificate, for: organisation.entityId, usage: usage)
            if unlink(keyPath(name)) != 0 && errno != ENOENT {
                throw StoreError(code: .io, message: "could not remove the moved key", path: keyPath(name))
            }
        }
    }

    /// Each User's (Supplier's and Network Operator's) key of each usage, with its file name in the vault.
    private static func userKeys(in ledger: Ledger) -> [(organisation: Organisation, usage: AnchorCore.KeyUsage, name: String)] {
        ledger.organisations.filter { !isHeldByDCC($0.role) }.flatMap { organisation in
            KeyUsage.allCases.map { (organisation, $0, CredentialMaterial.keyName(organisation: organisation.id, usage: $0)) }
        }
    }

    /// The organisation's certificate of a key usage, as `certificates` holds it.
    static func certificate(
        of organisation: Organisation, usage: AnchorCore.KeyUsage, in ledger: Ledger, from certificates: [String: OrganisationCertificate]
    ) -> OrganisationCertificate? {
        ledger.certificates(ownedBy: organisation.id).first { $0.keyUsage == usage }.flatMap { certificates[$0.id] }
    }

    /// Writes the files of `material` (each atomically, 0600, folders 0700): the CAs, the
    /// certificates and the DCC's own keys in the vault; a User's key only into the demo store's
    /// User key directory (a store that is not a demo keeps no User's key).
    /// - Parameter only: certificate IDs and `keys/<name>` entries to write; `nil` for everything.
    /// - Throws: ``StoreError``.
    public func save(_ material: CredentialMaterial, ledger: Ledger, only: Set<String>? = nil) throws(StoreError) {
        try StoreDirectory.create(path: path)
        try StoreDirectory.create(path: keysPath)
        try write(material.authority.certificate.pem, to: path + "/" + CredentialVault.authorityName + ".pem")
        try write(material.authority.key.pemRepresentation, to: keyPath(CredentialVault.authorityName))
        for (id, certificate) in material.certificates.sorted(by: { $0.key < $1.key }) where only?.contains(id) ?? true {
            try write(certificate.pem, to: certificatePath(try CredentialVault.checkedName(id)))
        }
        let demoFolder = try demoUserKeys()
        try demoFolder?.writeOrganisationCA(material.authority.certificate)
        for organisation in ledger.organisations {
            for usage in KeyUsage.allCases {
                let name = CredentialMaterial.keyName(organisation: organisation.id, usage: usage)
                guard let key = material.privateKeys[name], only?.contains("keys/" + name) ?? true else { continue }
                if CredentialVault.isHeldByDCC(organisation.role) {
                    try write(key.pemRepresentation, to: keyPath(try CredentialVault.checkedName(name)))
                } else if let demoFolder {
                    let certificate = CredentialVault.certificate(of: organisation, usage: usage, in: ledger, from: material.certificates)
                    try demoFolder.write(key, certificate: certificate, for: organisation.entityId, usage: usage)
                }
            }
        }
        if let deviceAuthority = material.devices.authority {
            try write(deviceAuthority.certificate.pem, to: path + "/" + CredentialVault.deviceAuthorityName + ".pem")
            try write(deviceAuthority.key.pemRepresentation, to: keyPath(CredentialVault.deviceAuthorityName))
            try write(Hex.string(material.devices.seed) + "\n", to: keysPath + "/" + CredentialVault.deviceSeedName)
        }
    }

    /// The issuing CA, or `nil` if the store has no vault yet.
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not the PEM it should be.
    func loadAuthority() throws(StoreError) -> DemoIssuingAuthority? {
        guard let authorityPEM = try readText(path + "/" + CredentialVault.authorityName + ".pem"),
              let authorityKeyPEM = try readSecret(keyPath(CredentialVault.authorityName))
        else { return nil }
        return DemoIssuingAuthority(
            key: try privateKey(authorityKeyPEM, path: keyPath(CredentialVault.authorityName)),
            certificate: try certificate(authorityPEM, path: path + "/" + CredentialVault.authorityName + ".pem"))
    }

    /// The simulated devices' keyring and Device CA, or `nil` in a store made before devices had keys.
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not what it should be.
    public func deviceKeyring() throws(StoreError) -> DeviceKeyring? {
        let certificatePath = path + "/" + CredentialVault.deviceAuthorityName + ".pem"
        let seedPath = keysPath + "/" + CredentialVault.deviceSeedName
        guard let pem = try readText(certificatePath), let keyPEM = try readSecret(keyPath(CredentialVault.deviceAuthorityName)),
              let seedText = try readSecret(seedPath)
        else { return nil }
        guard let seed = try? Hex.bytes(seedText.trimmingCharacters(in: .whitespacesAndNewlines)), seed.count == 32 else {
            throw StoreError(code: .corrupt, message: "not a 32-octet hex seed", path: seedPath)
        }
        let authority = DemoIssuingAuthority(
            key: try privateKey(keyPEM, path: keyPath(CredentialVault.deviceAuthorityName)), certificate: try certificate(pem, path: certificatePath))
        return DeviceKeyring(seed: seed, authority: authority)
    }

    /// Replaces one certificate's PEM and, if given, puts the owner's private key of that usage
    /// where it belongs: the vault for the DCC's own organisations, the User key directory (named
    /// for this run, else the demo store's) for a User.
    /// - Throws: ``StoreError``; `.invalidArgument` for a User's key with no User key directory to hold it.
    public func replace(certificate id: String, with certificate: OrganisationCertificate, owner: Organisation,
                        usage: AnchorCore.KeyUsage, key: P256.Signing.PrivateKey?) throws(StoreError) {
        try StoreDirectory.create(path: path)
        try StoreDirectory.create(path: keysPath)
        guard let key else {
            try write(certificate.pem, to: certificatePath(try CredentialVault.checkedName(id)))
            return
        }
        if CredentialVault.isHeldByDCC(owner.role) {
            try write(certificate.pem, to: certificatePath(try CredentialVault.checkedName(id)))
            try write(key.pemRepresentation, to: keyPath(try CredentialVault.checkedName(
                CredentialMaterial.keyName(organisation: owner.id, usage: usage))))
        } else {
            let demoFolder = try demoUserKeys()
            guard let folder = userKeys ?? demoFolder else {
                throw StoreError.invalidArgument("\(owner.id) is a DCC User: its private key belongs in its own key directory; pass --keys DIR")
            }
            try write(certificate.pem, to: certificatePath(try CredentialVault.checkedName(id)))
            try folder.write(key, certificate: certificate, for: owner.entityId, usage: usage, replacingKey: true)
        }
    }

    /// Whether an ID can name a file in the vault (no path separators, not hidden).
    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0")
    }

    static func checkedName(_ name: String) throws(StoreError) -> String {
        guard isSafeName(name) else { throw StoreError.invalidArgument("'\(name)' cannot name a file in the SMKI folder") }
        return name
    }

    func write(_ text: String, to file: String) throws(StoreError) {
        try AtomicFile.write(Array(text.utf8), to: file)
    }

    func readText(_ file: String) throws(StoreError) -> String? {
        try FileIO.readFile(file, operation: "could not read").map { String(decoding: $0, as: UTF8.self) }
    }

    /// A private key (or the devices' seed) from the vault, read as ``PrivateKeyFile`` reads one.
    func readSecret(_ file: String) throws(StoreError) -> String? {
        try PrivateKeyFile.read(file, followingLinks: false).map { String(decoding: $0, as: UTF8.self) }
    }

    func certificate(_ pem: String, path file: String) throws(StoreError) -> OrganisationCertificate {
        do {
            return try OrganisationCertificate(pem: pem)
        } catch {
            throw StoreError(code: .corrupt, message: "not a readable certificate: \(error.reason)", path: file)
        }
    }

    func privateKey(_ pem: String, path file: String) throws(StoreError) -> P256.Signing.PrivateKey {
        do {
            return try P256.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw StoreError(code: .corrupt, message: "not a readable P-256 private key", path: file)
        }
    }
}
