import AnchorCore
import Crypto
import Foundation
import SMKI

extension CredentialVault {
    static let dspXMLKeyName = "dsp-xml"

    /// The path of an entity's XML-signing certificate in the Repository.
    func xmlSigningCertificatePath(_ entity: EUI64) -> String {
        xmlSigningPath + "/" + UserKeyDirectory.fileStem(entity) + ".pem"
    }

    /// The Repository's XML-signing certificates and the DSP's key, made where missing: the DSP's
    /// own (`OU=89`) always; in a demo store, one per User (`OU=87`) whose key goes
    /// to the demo Users' key folder, beside their other keys.
    /// The DSP's entity ID is the ACB's (as in DCC's test keystore, where both are 90-B3-D5-1F-30-00-00-02).
    /// - Parameter validFrom: the start of validity of any certificate made now.
    /// - Throws: ``StoreError``: `.invalidArgument` when the store has no SMKI vault yet or no single ACB.
    public func xmlSigningCredentials(for ledger: Ledger, validFrom: Date) throws(StoreError) -> XMLSigningCredentials {
        try requirePrivateKeys()
        guard let authority = try loadAuthority() else {
            throw StoreError.invalidArgument("the store has no SMKI vault yet: run any request once, or 'anchordesk init --demo'")
        }
        guard let dsp = ledger.soleOrganisation(withRole: .acb)?.entityId else {
            throw StoreError.invalidArgument("the store has no single Access Control Broker, whose entity ID is the DSP's")
        }
        var certificates = try loadXMLSigningCertificates()
        let dspKey: P256.Signing.PrivateKey
        if let pem = try readSecret(keyPath(CredentialVault.dspXMLKeyName)) {
            dspKey = try privateKey(pem, path: keyPath(CredentialVault.dspXMLKeyName))
        } else if certificates[dsp] != nil {
            // The Repository holds the DSP's certificate: its key was lost, not yet to be made.
            throw lostPrivateFiles([keyPath(CredentialVault.dspXMLKeyName)])
        } else {
            dspKey = P256.Signing.PrivateKey()
            try StoreDirectory.create(path: keysPath)
            try write(dspKey.pemRepresentation, to: keyPath(CredentialVault.dspXMLKeyName))
            certificates[dsp] = nil
        }
        if certificates[dsp]?.publicKey?.rawRepresentation != dspKey.publicKey.rawRepresentation {
            certificates[dsp] = try issueXMLSigning(authority, entity: dsp, role: .dsp, key: dspKey, validFrom: validFrom)
        }
        if let demoFolder = try demoUserKeys() {
            for user in ledger.organisations where !CredentialVault.isHeldByDCC(user.role) && certificates[user.entityId] == nil {
                // A key the folder holds already (another demo store's) is kept: that store signs with it too.
                let key = try demoFolder.xmlSigningKey(user.entityId) ?? P256.Signing.PrivateKey()
                let certificate = try issueXMLSigning(authority, entity: user.entityId, role: .user, key: key, validFrom: validFrom)
                try demoFolder.writeXMLSigning(key, certificate: certificate, for: user.entityId)
                certificates[user.entityId] = certificate
            }
        }
        guard let dspCertificate = certificates[dsp] else { throw StoreError.invalidArgument("the DSP has no XML-signing certificate") }
        return XMLSigningCredentials(certificates: certificates, dspKey: dspKey, dspCertificate: dspCertificate)
    }

    /// Removes the Repository's XML-signing certificates and the DSP's XML-signing key, for a new
    /// issuing CA (`init`): what the old one issued is no longer the store's, and
    /// ``xmlSigningCredentials(for:validFrom:)`` makes them again under the new one.
    /// - Throws: ``StoreError`` when they cannot be removed.
    public func forgetXMLSigning() throws(StoreError) {
        for target in [xmlSigningPath, keyPath(CredentialVault.dspXMLKeyName)] where FileManager.default.fileExists(atPath: target) {
            do {
                try FileManager.default.removeItem(atPath: target)
            } catch {
                throw StoreError(code: .io, message: "could not remove the old issuing CA's XML-signing material", path: target)
            }
        }
    }

    /// The issuing CA's certificate, which every certificate in the Repository is issued by; `nil` without a vault.
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not what it should be.
    public func issuingAuthorityCertificate() throws(StoreError) -> OrganisationCertificate? {
        try loadAuthority()?.certificate
    }

    /// The Repository's XML-signing certificates and the DSP's key as they are, changing nothing;
    /// `nil` until ``xmlSigningCredentials(for:validFrom:)`` has made the DSP's.
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not what it should be.
    public func readXMLSigningCredentials() throws(StoreError) -> XMLSigningCredentials? {
        guard let pem = try readSecret(keyPath(CredentialVault.dspXMLKeyName)) else { return nil }
        let dspKey = try privateKey(pem, path: keyPath(CredentialVault.dspXMLKeyName))
        let certificates = try loadXMLSigningCertificates()
        guard let dspCertificate = certificates.values.first(where: {
            $0.xmlSigningRole == .dsp && $0.publicKey?.rawRepresentation == dspKey.publicKey.rawRepresentation
        }) else { return nil }
        return XMLSigningCredentials(certificates: certificates, dspKey: dspKey, dspCertificate: dspCertificate)
    }

    /// Something that changes whenever a certificate is put in the Repository's XML-signing folder
    /// (each arrives by an atomic rename, which changes the folder's modification time).
    public var xmlSigningChangeStamp: String {
        var status = stat()
        guard stat(xmlSigningPath, &status) == 0 else { return "none" }
        return "\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
    }

    /// Puts an XML-signing certificate into the Repository (replacing the entity's previous one).
    /// - Throws: ``StoreError``; `.invalidArgument` for a certificate with no entity ID.
    public func importXMLSigningCertificate(_ certificate: OrganisationCertificate) throws(StoreError) {
        guard let entity = certificate.entityId else {
            throw StoreError.invalidArgument("the certificate's subject has no x500UniqueIdentifier (entity ID)")
        }
        try StoreDirectory.create(path: path)
        try StoreDirectory.create(path: xmlSigningPath)
        try write(certificate.pem, to: xmlSigningCertificatePath(entity))
    }

    private func issueXMLSigning(
        _ authority: DemoIssuingAuthority, entity: EUI64, role: XMLSigningRole, key: P256.Signing.PrivateKey, validFrom: Date
    ) throws(StoreError) -> OrganisationCertificate {
        let certificate: OrganisationCertificate
        do {
            certificate = try authority.issue(
                entity: entity, organisationalUnit: role.rawValue, usage: .digitalSigning, publicKey: key.publicKey,
                serial: (0..<16).map { _ in UInt8.random(in: 0...255) }.withPositiveTop, validFrom: validFrom)
        } catch {
            throw StoreError(code: .io, message: "could not make an XML-signing certificate: \(error)", path: xmlSigningPath)
        }
        try importXMLSigningCertificate(certificate)
        return certificate
    }

    /// The Repository's XML-signing certificates by entity ID, read without changing anything.
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not a certificate with an entity ID.
    public func loadXMLSigningCertificates() throws(StoreError) -> [EUI64: OrganisationCertificate] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: xmlSigningPath) else { return [:] }
        var certificates: [EUI64: OrganisationCertificate] = [:]
        for name in names.sorted() where name.hasSuffix(".pem") && CredentialVault.isSafeName(name) {
            let file = xmlSigningPath + "/" + name
            guard let pem = try readText(file) else { continue }
            let certificate = try certificate(pem, path: file)
            guard let entity = certificate.entityId else {
                throw StoreError(code: .corrupt, message: "an XML-signing certificate without an entity ID", path: file)
            }
            certificates[entity] = certificate
        }
        return certificates
    }
}

extension UserKeyDirectory {
    /// The path of an entity's DUIS XML-signing private key: `<entity-id>-xml.key`.
    public func xmlSigningKeyPath(_ entity: EUI64) -> String {
        path + "/" + UserKeyDirectory.fileStem(entity) + "-xml.key"
    }

    /// The entity's XML-signing private key, or `nil` if the folder has none.
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not a P-256 private key.
    public func xmlSigningKey(_ entity: EUI64) throws(StoreError) -> P256.Signing.PrivateKey? {
        let file = xmlSigningKeyPath(entity)
        guard let bytes = try PrivateKeyFile.read(file, followingLinks: true) else { return nil }
        guard let key = try? P256.Signing.PrivateKey(pemRepresentation: String(decoding: bytes, as: UTF8.self)) else {
            throw StoreError(code: .corrupt, message: "not a readable P-256 private key", path: file)
        }
        return key
    }

    /// The entity's XML-signing certificate kept beside its key (`<entity-id>-xml.pem`), if any.
    /// - Throws: ``StoreError`` `.corrupt` for a file that is not a certificate.
    public func xmlSigningCertificate(_ entity: EUI64) throws(StoreError) -> OrganisationCertificate? {
        let file = path + "/" + UserKeyDirectory.fileStem(entity) + "-xml.pem"
        guard let bytes = try FileIO.readFile(file, operation: "could not read") else { return nil }
        do {
            return try OrganisationCertificate(pem: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw StoreError(code: .corrupt, message: "not a readable certificate: \(error.reason)", path: file)
        }
    }

    /// Writes an XML-signing key (0600, never replacing another) and its certificate (`<entity-id>-xml.pem`).
    /// - Throws: ``StoreError``.
    func writeXMLSigning(_ key: P256.Signing.PrivateKey, certificate: OrganisationCertificate, for entity: EUI64) throws(StoreError) {
        try StoreDirectory.create(path: path)
        try writeKey(key, to: xmlSigningKeyPath(entity), replacing: false)
        try AtomicFile.write(Array(certificate.pem.utf8), to: path + "/" + UserKeyDirectory.fileStem(entity) + "-xml.pem")
    }
}
