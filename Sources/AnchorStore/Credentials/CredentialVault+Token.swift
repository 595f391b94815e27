import AnchorCore
import Crypto
import Foundation
import SMKI

/// The ACB's private keys in a PKCS#11 token instead of the vault: `cert move-to-token` puts
/// them there and deletes the files; from then on every process of the DSP that names the token
/// signs and agrees keys through it.
extension CredentialVault {
    /// The file, in the vault, naming the token that holds the ACB's keys (its label: no secret),
    /// so that a process not told of the token says so rather than sending unsigned commands.
    var acbTokenRecord: String { path + "/acb-token" }

    /// The ACB's keys from the token `settings` names, or, without one, a check that the vault
    /// does not record the keys as moved to a token.
    /// - Throws: ``StoreError`` `.keyToken` when the vault records a token and none is named.
    func tokenHeldKeys(_ settings: PKCS11Settings?, ledger: Ledger, certificates: [String: OrganisationCertificate]) throws(StoreError) -> TokenHeldKeys? {
        if let settings { return try tokenHeldKeys(in: settings, ledger: ledger, certificates: certificates) }
        guard let label = try readText(acbTokenRecord) else { return nil }
        throw StoreError(
            code: .keyToken,
            message: "the ACB's private keys are in the PKCS#11 token '\(label.trimmingCharacters(in: .whitespacesAndNewlines))': name it with "
                + "\(PKCS11Settings.moduleVariable), \(PKCS11Settings.tokenVariable) and \(PKCS11Settings.pinFileVariable) on the DSP's host",
            path: acbTokenRecord)
    }

    /// The ACB's keys in `settings`' token, checked against the ACB's certificates.
    /// - Throws: ``StoreError`` `.keyToken` when the token cannot be opened, a key is missing or
    ///   is not its certificate's; `.untrusted` when a file in the vault still holds one of the
    ///   ACB's keys (no file may, once a token holds them); `.invalidArgument` without one ACB.
    private func tokenHeldKeys(in settings: PKCS11Settings, ledger: Ledger, certificates: [String: OrganisationCertificate]) throws(StoreError) -> TokenHeldKeys {
        let (acb, names) = try Self.acbKeyNames(in: ledger)
        for name in names where FileManager.default.fileExists(atPath: keyPath(name)) {
            throw StoreError(code: .untrusted,
                             message: "the ACB's private key is in this file, yet \(PKCS11Settings.tokenVariable) names a token to hold it: "
                                 + "move it with 'anchordesk cert move-to-token', or remove the file",
                             path: keyPath(name))
        }
        return try Self.checkedKeys(in: try Self.open(settings), of: acb, names: names, ledger: ledger, certificates: certificates)
    }

    /// Moves the ACB's Digital Signing and Key Agreement private keys from the vault into the
    /// token: imports each (private, sensitive, never extractable), checks the pair in the token
    /// against the ACB's certificates, records the token's label in the vault, and only then
    /// deletes the files. Returns the files deleted. If the check fails, the keys imported are removed from the token and the files stay.
    /// - Throws: ``StoreError`` `.notFound` when the vault holds neither key (already moved);
    ///   `.keyToken` when the token refuses, a key with the label is already in it, or a key is
    ///   not its certificate's.
    public func moveACBKeys(into settings: PKCS11Settings, ledger: Ledger) throws(StoreError) -> [String] {
        let (acb, names) = try Self.acbKeyNames(in: ledger)
        var keys: [P256.Signing.PrivateKey] = []
        for name in names {
            guard let pem = try readSecret(keyPath(name)) else {
                throw StoreError(code: .notFound, message: "the vault holds no ACB private key to move (already in a token?)", path: keyPath(name))
            }
            keys.append(try privateKey(pem, path: keyPath(name)))
        }
        guard let material = try load(for: ledger) else { throw StoreError(code: .notFound, message: "the store has no SMKI vault", path: path) }
        let token = try Self.open(settings)
        do {
            _ = try token.importKey(keys[0], label: names[0], forSigning: true)
        } catch {
            throw StoreError(code: .keyToken, message: "\(error); nothing was moved", path: settings.module)
        }
        do {
            _ = try token.importKey(keys[1], label: names[1], forSigning: false)
            _ = try Self.checkedKeys(in: token, of: acb, names: names, ledger: ledger, certificates: material.certificates)
        } catch {
            try? token.destroyKeys(labelled: names[0])
            try? token.destroyKeys(labelled: names[1])
            throw StoreError(code: .keyToken, message: "\((error as? StoreError)?.message ?? "\(error)"); nothing was moved", path: settings.module)
        }
        try write(settings.tokenLabel + "\n", to: acbTokenRecord)
        for name in names where unlink(keyPath(name)) != 0 && errno != ENOENT {
            throw StoreError.system(errno, operation: "could not delete the moved key (the token holds it too; delete the file)", path: keyPath(name))
        }
        try StoreDirectory.fsyncDirectory(path: keysPath)
        return names.map(keyPath)
    }

    private static func open(_ settings: PKCS11Settings) throws(StoreError) -> PKCS11Token {
        do {
            return try PKCS11Token.open(settings)
        } catch {
            throw StoreError(code: .keyToken, message: error.description, path: settings.module)
        }
    }

    /// The ACB's keys labelled `names` in `token`, each checked against the ACB's certificate of its usage.
    private static func checkedKeys(
        in token: PKCS11Token, of acb: Organisation, names: [String], ledger: Ledger, certificates: [String: OrganisationCertificate]
    ) throws(StoreError) -> TokenHeldKeys {
        func publicKey(_ usage: KeyUsage) throws(StoreError) -> P256.Signing.PublicKey {
            guard let key = CredentialVault.certificate(of: acb, usage: usage, in: ledger, from: certificates)?.publicKey else {
                throw StoreError.invalidArgument("\(acb.id) has no \(usage.rawValue) certificate to check the token's key against")
            }
            return key
        }
        let signingCertificate = try publicKey(.digitalSigning)
        let keyAgreementCertificate = try publicKey(.keyAgreement)
        do {
            return try TokenHeldKeys.load(
                from: token, owner: acb.entityId, signingLabel: names[0], signingCertificate: signingCertificate,
                keyAgreementLabel: names[1], keyAgreementCertificate: keyAgreementCertificate)
        } catch {
            throw StoreError(code: .keyToken, message: "\(error)", path: token.settings.module)
        }
    }

    /// The store's ACB, and the names of its Digital Signing and Key Agreement keys (the file
    /// names in the vault, and the labels in a token).
    private static func acbKeyNames(in ledger: Ledger) throws(StoreError) -> (Organisation, [String]) {
        guard let acb = ledger.soleOrganisation(withRole: .acb) else {
            throw StoreError.invalidArgument("the store has no single ACB whose keys a token could hold")
        }
        return (acb, [KeyUsage.digitalSigning, .keyAgreement].map { CredentialMaterial.keyName(organisation: acb.id, usage: $0) })
    }
}
