import AnchorCore
import AnchorService
import AnchorStore
import ArgumentParser
import Crypto
import Foundation
import SMKI

/// `anchordesk cert show|import`: the X.509 certificates behind the ledger's certificate records.
struct CertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert", abstract: "Show or import SMKI Organisation Certificates.", subcommands: [Show.self, Import.self])

    /// `anchordesk cert show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a certificate: serial, subject, key usage, SHA-1 and SHA-256.")

        @OptionGroup var options: CommonOptions

        @Argument(help: "The certificate ID (e.g. cadent-ds).")
        var id: String

        func run() throws {
            let store = try options.openForReading()
            let ledger = store.estate.ledger
            guard let record = ledger.certificate(id) else { throw CLIFailure(RequestError.unknownCertificate(id)) }
            guard let certificate = try Credentials.read(options, ledger: ledger)?.certificates[id] else {
                throw CLIFailure.badInput("the store holds no X.509 certificate for \(Presentation.safe(id)) yet; any request or 'init' makes one",
                                          code: "no-certificate-material")
            }
            options.emit(.object([("id", .string(Presentation.safe(record.id))), ("owner", .string(Presentation.safe(record.owner)))]
                + CertificatePresentation.members(certificate) + [("pem", .string(certificate.pem))]), human: {
                    ["\(Presentation.safe(record.id))  owner \(Presentation.safe(record.owner))"] + CertificatePresentation.lines(certificate)
                })
        }
    }

    /// `anchordesk cert import FILE.pem --org ORG`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a PEM Organisation Certificate for an organisation, replacing the demo one.",
            discussion: """
                The certificate must be ECDSA P-256, name the organisation's role as OU and its entity ID as \
                x500UniqueIdentifier, and have a critical key usage of exactly digitalSignature or keyAgreement. \
                It replaces the X.509 behind the organisation's newest certificate record of that key usage \
                (or --cert ID). Without --key, AnchorDesk cannot sign with it: devices holding it refuse commands \
                signed as that organisation.
                """)

        @OptionGroup var options: CommonOptions

        @Argument(help: "The PEM certificate file.")
        var file: String

        @Option(help: "The organisation the certificate belongs to.")
        var org: String

        @Option(name: .customLong("cert"), help: "The certificate record to attach it to (default: the organisation's newest of its key usage).")
        var certificateId: String?

        @Option(help: "The matching PKCS#8 PEM private key, so AnchorDesk can sign with it (a User's goes to its key directory).")
        var key: String?

        @OptionGroup var keyOptions: KeyOptions

        @Flag(name: .customLong("xml-signing"),
              help: "A User's DUIS XML-signing certificate (OU=87) for the SMKI Repository, which 'serve' checks requests against; its key stays with the User.")
        var xmlSigning = false

        func run() throws {
            guard let pem = FileManager.default.contents(atPath: file).map({ String(decoding: $0, as: UTF8.self) }) else {
                throw CLIFailure.badInput("cannot read \(Presentation.safe(file))", code: "unreadable-file")
            }
            if xmlSigning { return try importXMLSigning(pem) }
            let session = try options.openSession(keys: keyOptions.directory)
            defer { session.close() }
            let ledger = session.estate.ledger
            guard let organisation = ledger.organisation(org) else { throw CLIFailure(RequestError.unknownOrganisation(org)) }
            let certificate: OrganisationCertificate
            do {
                certificate = try OrganisationCertificate(pem: pem)
                try certificate.check(for: organisation)
            } catch {
                throw CLIFailure.badInput("refused \(Presentation.safe(file)): \(Presentation.safe(error.reason))", code: error.code.rawValue)
            }
            guard let usage = certificate.keyUsage else { throw CLIFailure.badInput("refused: no key usage", code: "certificate-wrong-key-usage") }
            let target = try record(for: organisation, usage: usage, ledger: ledger)
            var privateKey: P256.Signing.PrivateKey?
            if let key {
                privateKey = try Import.privateKey(key, matching: certificate)
            }
            do {
                _ = try session.credentials()
            } catch {
                throw CLIFailure(error)
            }
            do {
                try CredentialVault(storeDirectory: options.storeDirectory, userKeys: keyOptions.directory)
                    .replace(certificate: target.id, with: certificate, owner: organisation, usage: usage, key: privateKey)
            } catch {
                throw CLIFailure(error)
            }
            try options.publishKeysIfShared()
            let held = privateKey != nil
            if !held {
                Console.warn("no private key given: commands signed as \(Presentation.safe(organisation.id)) will be refused by devices holding this certificate")
            }
            options.emit(.object([
                ("imported", .string(Presentation.safe(target.id))), ("org", .string(Presentation.safe(organisation.id))),
                ("privateKeyHeld", .bool(held)),
            ] + CertificatePresentation.members(certificate)), human: {
                ["imported \(Presentation.safe(file)) as \(Presentation.safe(target.id)) for \(Presentation.safe(organisation.id))"]
                    + CertificatePresentation.lines(certificate)
            })
        }

        /// `--xml-signing`: checks the certificate names the organisation, a User, as OU=87 and puts it in the Repository.
        private func importXMLSigning(_ pem: String) throws(CLIFailure) {
            guard key == nil, certificateId == nil else {
                throw CLIFailure.badInput("--xml-signing takes no --key or --cert: the Repository holds the certificate, the User keeps its key", code: "bad-usage")
            }
            let session = try options.openSession(keys: keyOptions.directory)
            defer { session.close() }
            guard let organisation = session.estate.ledger.organisation(org) else { throw CLIFailure(RequestError.unknownOrganisation(org)) }
            guard organisation.role == .supplier || organisation.role == .networkOperator else {
                throw CLIFailure.badInput("refused: \(Presentation.safe(org)) is a \(organisation.role.label); XML-signing certificates are imported for DCC Users (Suppliers and Network Operators)",
                                          code: "certificate-wrong-role")
            }
            let vault = CredentialVault(storeDirectory: options.storeDirectory)
            let issuer: OrganisationCertificate?
            do {
                issuer = try vault.issuingAuthorityCertificate()
            } catch {
                throw CLIFailure(error)
            }
            guard let issuer else { throw CLIFailure.badInput("the store has no SMKI vault yet; run 'anchordesk init --demo'", code: "no-vault") }
            let now = Date(timeIntervalSince1970: TimeInterval(try options.now().secondsSince1970))
            let certificate: OrganisationCertificate
            do {
                certificate = try OrganisationCertificate(pem: pem)
                try certificate.checkXMLSigning(role: .user, entity: organisation.entityId, issuer: issuer, now: now)
            } catch {
                throw CLIFailure.badInput("refused \(Presentation.safe(file)): \(Presentation.safe(error.reason))", code: error.code.rawValue)
            }
            do {
                try vault.importXMLSigningCertificate(certificate)
            } catch {
                throw CLIFailure(error)
            }
            try options.publishKeysIfShared()
            options.emit(.object([
                ("imported", .string("xml-signing")), ("org", .string(Presentation.safe(organisation.id))),
                ("serial", .string(certificate.decimalSerial)), ("issuer", .string(Presentation.safe(certificate.issuerName))),
            ]), human: {
                ["imported \(Presentation.safe(file)) as \(Presentation.safe(organisation.id))'s XML-signing certificate (serial \(certificate.decimalSerial), issuer \(Presentation.safe(certificate.issuerName)))"]
            })
        }

        private func record(for organisation: Organisation, usage: KeyUsage, ledger: Ledger) throws(CLIFailure) -> AnchorCore.Certificate {
            if let certificateId {
                guard let record = ledger.certificate(certificateId) else { throw CLIFailure(RequestError.unknownCertificate(certificateId)) }
                guard record.owner == organisation.id else {
                    throw CLIFailure.badInput("certificate \(Presentation.safe(certificateId)) belongs to \(Presentation.safe(record.owner)), not \(Presentation.safe(organisation.id))")
                }
                guard record.keyUsage == usage else {
                    throw CLIFailure.badInput("refused: the certificate is for \(usage.rawValue), but \(Presentation.safe(certificateId)) is a \(record.keyUsage.rawValue) certificate",
                                              code: "certificate-wrong-key-usage")
                }
                return record
            }
            guard let record = ledger.certificates(ownedBy: organisation.id).last(where: { $0.keyUsage == usage }) else {
                throw CLIFailure.badInput("refused: \(Presentation.safe(organisation.id)) has no \(usage.rawValue) certificate record to attach it to",
                                          code: "certificate-wrong-key-usage")
            }
            return record
        }

        private static func privateKey(_ path: String, matching certificate: OrganisationCertificate) throws(CLIFailure) -> P256.Signing.PrivateKey {
            guard let text = try Credentials.privateKeyPEM(at: path), let key = try? P256.Signing.PrivateKey(pemRepresentation: text)
            else { throw CLIFailure.badInput("\(Presentation.safe(path)) is not a readable P-256 private key (PEM)", code: "bad-key") }
            guard key.publicKey.x963Representation == certificate.publicKey?.x963Representation else {
                throw CLIFailure.badInput("refused: the private key does not match the certificate's public key", code: "certificate-key-mismatch")
            }
            return key
        }
    }
}
