import AnchorCore
import Crypto
import Foundation
import SMKI

/// The DCC's organisations' private keys (the ACB's, Recovery's, Root's and the others the DCC
/// holds) in a PKCS#11 token instead of the vault: `cert move-to-token` puts them there and
/// deletes the files; from then on every process of the DSP that names the token signs and
/// agrees keys through it.
extension CredentialVault {
    /// The file, in the vault, naming the token that holds the DCC's keys (its label, first line)
    /// and the keys it holds (one name a line, as their files were named): no secret. A process
    /// not told of the token says so rather than sending commands devices would refuse.
    var tokenRecord: String { path + "/token-keys" }

    /// The keys the vault records as moved to a token, checked in the token `settings` names;
    /// `nil` when the vault records none and no token is named.
    /// - Throws: ``StoreError`` `.keyToken` when the vault records a token and none is named,
    ///   a token is named and the vault records none, or the token cannot be used (module, PIN,
    ///   a key missing or not its certificate's); `.untrusted` when a file in the vault still
    ///   holds a key the token holds; `.corrupt` for a record naming no key.
    func tokenHeldKeys(_ settings: PKCS11Settings?, ledger: Ledger, certificates: [String: OrganisationCertificate]) throws(StoreError) -> TokenHeldKeys? {
        let record = try readText(tokenRecord).map { $0.split(separator: "\n").map { String($0) } }
        guard let record else {
            guard let settings else { return nil }
            throw StoreError(code: .keyToken,
                             message: "\(PKCS11Settings.tokenVariable) names the token '\(settings.tokenLabel)', but no key of this store was moved "
                                 + "into a token: run 'anchordesk cert move-to-token', or unset the \(PKCS11Settings.tokenVariable) variables",
                             path: tokenRecord)
        }
        guard let label = record.first, record.count > 1 else {
            throw StoreError(code: .corrupt, message: "names no token and key", path: tokenRecord)
        }
        guard let settings else {
            throw StoreError(
                code: .keyToken,
                message: "the DCC's private keys are in the PKCS#11 token '\(label)': name it with \(PKCS11Settings.moduleVariable), "
                    + "\(PKCS11Settings.tokenVariable) and \(PKCS11Settings.pinFileVariable) on the DSP's host",
                path: tokenRecord)
        }
        let names = Array(record.dropFirst())
        for name in names where FileManager.default.fileExists(atPath: keyPath(name)) {
            throw StoreError(code: .untrusted,
                             message: "the token '\(settings.tokenLabel)' holds this private key, yet this file holds it too: "
                                 + "no file may once a token does; remove the file",
                             path: keyPath(name))
        }
        let expected = try Self.expectedKeys(names, ledger: ledger, certificates: certificates)
        return try Self.checkedKeys(in: try Self.open(settings), expected: expected, ledger: ledger)
    }

    /// Moves the DCC's organisations' private keys from the vault into the token: imports each
    /// (private, sensitive, never extractable, labelled as its file is named), checks them all
    /// in the token against their certificates, records the token and the keys in the vault, and
    /// only then deletes the files. Returns the files deleted. A key the token already holds
    /// under its label is kept rather than imported again (each file's key must be its
    /// certificate's, as must the token's), so a move cut short before its record is finished
    /// by running it again. If anything fails before the record, the keys imported now (and
    /// only those) are removed from the token, and the files stay.
    /// - Throws: ``StoreError`` `.alreadyExists` when the vault records a move already;
    ///   `.notFound` when it holds none of those keys; `.keyToken` when a file's key is not its certificate's, the token refuses, or
    ///   it holds under one of the labels a key that is not its certificate's, or two.
    public func moveDCCKeys(into settings: PKCS11Settings, ledger: Ledger) throws(StoreError) -> [String] {
        if try readText(tokenRecord) != nil {
            throw StoreError(code: .alreadyExists, message: "the DCC's keys were already moved to a token", path: tokenRecord)
        }
        var keys: [(name: String, key: P256.Signing.PrivateKey, usage: KeyUsage)] = []
        for organisation in ledger.organisations where CredentialVault.isHeldByDCC(organisation.role) {
            for usage in KeyUsage.allCases {
                let name = CredentialMaterial.keyName(organisation: organisation.id, usage: usage)
                guard CredentialVault.isSafeName(name), let pem = try readSecret(keyPath(name)) else { continue }
                keys.append((name, try privateKey(pem, path: keyPath(name)), usage))
            }
        }
        guard !keys.isEmpty else { throw StoreError(code: .notFound, message: "the vault holds none of the DCC's private keys to move", path: keysPath) }
        guard let material = try load(for: ledger) else { throw StoreError(code: .notFound, message: "the store has no SMKI vault", path: path) }
        let expected = try Self.expectedKeys(keys.map(\.name), ledger: ledger, certificates: material.certificates)
        for (key, certified) in zip(keys, expected) where key.key.publicKey.rawRepresentation != certified.certificateKey.rawRepresentation {
            throw StoreError(code: .keyToken, message: "this is not the key its certificate holds; nothing was moved", path: keyPath(key.name))
        }
        let token = try Self.open(settings)
        var imported: [PKCS11Token.Key] = []
        var held: [String] = []
        do {
            for key in keys {
                if try token.holdsPrivateKey(labelled: key.name) {
                    held.append(key.name)
                } else {
                    imported.append(try token.importKey(key.key, label: key.name, forSigning: key.usage == .digitalSigning))
                }
            }
            _ = try Self.checkedKeys(in: token, expected: expected, ledger: ledger)
        } catch {
            for key in imported { try? token.destroy(key) }
            let found = held.isEmpty ? "" : held.map { "'\($0)'" }.joined(separator: ", ") + " already in the token '\(settings.tokenLabel)': "
            throw StoreError(code: .keyToken, message: found + "\((error as? StoreError)?.message ?? "\(error)"); nothing was moved", path: settings.module)
        }
        try write(([settings.tokenLabel] + keys.map(\.name)).joined(separator: "\n") + "\n", to: tokenRecord)
        for key in keys where unlink(keyPath(key.name)) != 0 && errno != ENOENT {
            throw StoreError.system(errno, operation: "could not delete the moved key (the token holds it too; delete the file)", path: keyPath(key.name))
        }
        try StoreDirectory.fsyncDirectory(path: keysPath)
        return keys.map { keyPath($0.name) }
    }

    private static func open(_ settings: PKCS11Settings) throws(StoreError) -> PKCS11Token {
        do {
            return try PKCS11Token.open(settings)
        } catch {
            throw StoreError(code: .keyToken, message: error.description, path: settings.module)
        }
    }

    /// The keys `names` (as the vault names their files) with the certificates they must match.
    private static func expectedKeys(
        _ names: [String], ledger: Ledger, certificates: [String: OrganisationCertificate]
    ) throws(StoreError) -> [TokenHeldKeys.Expected] {
        var expected: [TokenHeldKeys.Expected] = []
        for name in names {
            guard let (organisation, usage) = ledger.organisations.lazy.compactMap({ organisation in
                KeyUsage.allCases.first { CredentialMaterial.keyName(organisation: organisation.id, usage: $0) == name }.map { (organisation, $0) }
            }).first, isHeldByDCC(organisation.role) else {
                throw StoreError.invalidArgument("the token's key '\(name)' is not a key of one of the DCC's organisations")
            }
            guard let key = certificate(of: organisation, usage: usage, in: ledger, from: certificates)?.publicKey else {
                throw StoreError.invalidArgument("\(organisation.id) has no \(usage.rawValue) certificate to check the token's key '\(name)' against")
            }
            expected.append(.init(label: name, owner: organisation.entityId, usage: usage, certificateKey: key))
        }
        return expected
    }

    /// The keys `expected` names in `token`, each checked against its certificate.
    private static func checkedKeys(in token: PKCS11Token, expected: [TokenHeldKeys.Expected], ledger: Ledger) throws(StoreError) -> TokenHeldKeys {
        do {
            return try TokenHeldKeys.load(from: token, expected: expected, acb: ledger.soleOrganisation(withRole: .acb)?.entityId)
        } catch {
            throw StoreError(code: .keyToken, message: "\(error)", path: token.settings.module)
        }
    }
}

extension EstateCredentials {
    /// Checks that the token holding the DCC's keys, if one does, has not refused them since
    /// they were loaded: after a refusal, what was decided may rest on a command that could not
    /// be signed or MACed, so it must not be recorded.
    /// - Throws: ``StoreError`` `.keyToken` naming the refusal.
    public func requireWorkingToken() throws(StoreError) {
        guard let tokenHeldKeys, let refusal = tokenHeldKeys.refusal else { return }
        throw StoreError(code: .keyToken, message: "the PKCS#11 token stopped working: \(refusal); nothing more was sent or recorded",
                         path: tokenHeldKeys.token.settings.module)
    }
}
