import AnchorCore
import AnchorService
import AnchorStore
import ArgumentParser
import Crypto
import Foundation
import OperatorClient
import SMKI

/// `anchordesk cert show|import`: the X.509 certificates behind the ledger's certificate records.
struct CertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert", abstract: "Show, export or import SMKI certificates: organisations' and devices'.",
        subcommands: [Show.self, Export.self, Import.self, MoveToToken.self])

    /// `anchordesk cert show ID` and `anchordesk cert show DEVICE-ID --usage ds|ka`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a certificate: an organisation's by ID, or a device's by device ID and --usage.",
            discussion: """
                An organisation's certificate is named by its ID (e.g. cadent-ds). A simulated device's Digital \
                Signing or Key Agreement certificate, as the SMKI Repository publishes it, is named by the device ID \
                and --usage ds|ka. --pem prints only the certificate in PEM, for other tools.
                """)

        @OptionGroup var options: CommonOptions

        @Argument(help: "The certificate ID (e.g. cadent-ds), or a device ID with --usage.")
        var id: String

        @Option(help: "A device's certificate: ds (Digital Signing) or ka (Key Agreement).")
        var usage: CertificateUsage?

        @Flag(help: "Print only the certificate, in PEM.")
        var pem = false

        func run() throws {
            if let connection = try options.operatorAPI() { return try show(through: connection) }
            let store = try options.openForReading()
            let estate = store.estate
            if let usage { return try showDevice(try Arguments.deviceID(id), usage: usage.keyUsage, estate: estate) }
            guard let record = estate.ledger.certificate(id) else {
                if let device = EUI64(id), estate.devices[device] != nil {
                    throw CLIFailure.badInput("\(device) is a device: name its certificate with --usage ds or --usage ka", code: "bad-usage")
                }
                throw CLIFailure(RequestError.unknownCertificate(id, suggestion: NameSuggestion.closest(to: id, among: estate.ledger.certificates.map(\.id))))
            }
            guard let certificate = try Credentials.read(options, ledger: estate.ledger)?.certificates[id] else {
                throw CLIFailure.badInput("the store holds no X.509 certificate for \(Presentation.safe(id)) yet; any request or 'init' makes one",
                                          code: "no-certificate-material")
            }
            emit(certificate, members: [("id", .string(Presentation.safe(record.id))), ("owner", .string(Presentation.safe(record.owner)))],
                 heading: "\(Presentation.safe(record.id))  owner \(Presentation.safe(record.owner))")
        }

        private func showDevice(_ device: EUI64, usage: KeyUsage, estate: Estate) throws(CLIFailure) {
            _ = try Arguments.device(device, in: estate)
            emit(try DeviceCertificates.issue(device, usage: usage, keyring: try DeviceCertificates.keyring(options)), of: device, usage: usage)
        }

        /// Through a DSP's operator API: a device's certificate as its Device CA issues it, or an
        /// organisation's from its Repository; the same output and refusals as at the DSP.
        private func show(through connection: OperatorConnection) throws(CLIFailure) {
            if let usage {
                let device = try Arguments.deviceID(id)
                guard let certificate = try RemoteCertificates.device(device, through: connection)[usage.keyUsage] else { return }
                return emit(certificate, of: device, usage: usage.keyUsage)
            }
            let reading = try OrganisationsReading.read(options, issued: true)
            guard let record = reading.ledger.certificate(id) else {
                if let device = EUI64(id), RemoteCertificates.holds(device, through: connection) {
                    throw CLIFailure.badInput("\(device) is a device: name its certificate with --usage ds or --usage ka", code: "bad-usage")
                }
                throw CLIFailure(RequestError.unknownCertificate(id, suggestion: NameSuggestion.closest(to: id, among: reading.ledger.certificates.map(\.id))))
            }
            guard let certificate = reading.issued[id] else {
                throw CLIFailure.badInput("the DSP holds no X.509 certificate for \(Presentation.safe(id)) yet", code: "no-certificate-material")
            }
            emit(certificate, members: [("id", .string(Presentation.safe(record.id))), ("owner", .string(Presentation.safe(record.owner)))],
                 heading: "\(Presentation.safe(record.id))  owner \(Presentation.safe(record.owner))")
        }

        private func emit(_ certificate: OrganisationCertificate, of device: EUI64, usage: KeyUsage) {
            emit(certificate, members: [("device", .string(device.description)), ("usage", .string(usage.rawValue))],
                 heading: "\(device) \(usage.rawValue) certificate  issued by \(Presentation.safe(certificate.issuerName))")
        }

        private func emit(_ certificate: OrganisationCertificate, members: [(String, JSONValue)], heading: String) {
            if pem && !options.json { return Console.out(certificate.pem) }
            options.emit(.object(members + CertificatePresentation.members(certificate) + [("pem", .string(certificate.pem))]), human: {
                [heading] + CertificatePresentation.lines(certificate)
            })
        }
    }

    /// `anchordesk cert export DIR --filter EXPR`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the certificates of the devices matching a filter, and the organisations', laid out as DCC's keystores.",
            discussion: """
                DIR gets <entity-id>-ds.pem and <entity-id>-ka.pem for each matching device (as 'cert show DEVICE-ID \
                --usage' shows them) and for each organisation's newest certificate of each key usage in the SMKI \
                Repository, so another tool can check AnchorDesk's signatures and, with the ACB's key-agreement key, \
                its MACs. No private key is written. Files of the same names are replaced; others are left.
                """)

        @OptionGroup var options: CommonOptions

        @Argument(help: "The directory to write (created if missing).")
        var directory: String

        @Option(help: "Only devices matching this expression (default: every device).")
        var filter: String?

        @Option(parsing: .unconditional, help: "Write at most this many devices.")
        var limit: Int?

        func run() throws {
            let filter = try Arguments.filter(filter)
            if let limit, limit < 0 { throw CLIFailure.badInput("--limit must be 0 or more") }
            let store = try options.openForReading()
            let estate = store.estate
            try Arguments.checkNames(filter, in: estate.ledger)
            let keyring = try DeviceCertificates.keyring(options)
            let material = try Credentials.read(options, ledger: estate.ledger)
            let matching = estate.devices(matching: filter)
            let devices = matching.prefix(limit ?? matching.count)
            let keystore = KeystoreDirectory(path: directory)
            func write(_ certificate: OrganisationCertificate, _ entity: EUI64, _ usage: KeyUsage) throws(CLIFailure) {
                do {
                    try keystore.write(certificate, entity: entity, usage: usage)
                } catch {
                    throw CLIFailure(error)
                }
            }
            for device in devices {
                for usage in KeyUsage.allCases { try write(try DeviceCertificates.issue(device.id, usage: usage, keyring: keyring), device.id, usage) }
            }
            var organisations = 0
            for organisation in estate.ledger.organisations {
                let published = estate.ledger.certificates(ownedBy: organisation.id).filter { $0.inRepository && !$0.revoked }
                let newest = KeyUsage.allCases.compactMap { usage in
                    published.last { $0.keyUsage == usage }.flatMap { record in material?.certificates[record.id].map { ($0, usage) } }
                }
                for (certificate, usage) in newest { try write(certificate, organisation.entityId, usage) }
                if !newest.isEmpty { organisations += 1 }
            }
            options.emit(.object([
                ("directory", .string(Presentation.safe(directory))), ("devices", .integer(devices.count)),
                ("matching", .integer(matching.count)), ("organisations", .integer(organisations)),
            ]), human: {
                ["wrote the DS and KA certificates of \(devices.count) of \(matching.count) matching devices and of \(organisations) organisations to \(Presentation.safe(directory))"]
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
            let organisation = try Arguments.organisation(org, in: ledger)
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
            try options.changeKeys { () throws(StoreError) in
                try CredentialVault(storeDirectory: options.storeDirectory, userKeys: keyOptions.directory)
                    .replace(certificate: target.id, with: certificate, owner: organisation, usage: usage, key: privateKey)
            }
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
            let organisation = try Arguments.organisation(org, in: session.estate.ledger)
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
            try options.changeKeys { () throws(StoreError) in try vault.importXMLSigningCertificate(certificate) }
            options.emit(.object([
                ("imported", .string("xml-signing")), ("org", .string(Presentation.safe(organisation.id))),
                ("serial", .string(certificate.decimalSerial)), ("issuer", .string(Presentation.safe(certificate.issuerName))),
            ]), human: {
                ["imported \(Presentation.safe(file)) as \(Presentation.safe(organisation.id))'s XML-signing certificate (serial \(certificate.decimalSerial), issuer \(Presentation.safe(certificate.issuerName)))"]
            })
        }

        private func record(for organisation: Organisation, usage: KeyUsage, ledger: Ledger) throws(CLIFailure) -> AnchorCore.Certificate {
            if let certificateId {
                guard let record = ledger.certificate(certificateId) else {
                    throw CLIFailure(RequestError.unknownCertificate(
                        certificateId, suggestion: NameSuggestion.closest(to: certificateId, among: ledger.certificates(ownedBy: organisation.id).map(\.id))))
                }
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

/// `--usage ds|ka`.
enum CertificateUsage: String, ExpressibleByArgument, CaseIterable {
    case ds, ka

    var keyUsage: KeyUsage { self == .ds ? .digitalSigning : .keyAgreement }
}

/// The simulated devices' certificates, issued by the store's Device CA.
enum DeviceCertificates {
    /// The store's simulated devices' keyring, with its Device CA.
    static func keyring(_ options: CommonOptions) throws(CLIFailure) -> DeviceKeyring {
        let keyring: DeviceKeyring?
        do {
            keyring = try CredentialVault(storeDirectory: options.storeDirectory).deviceKeyring()
        } catch {
            throw CLIFailure(error)
        }
        guard let keyring, keyring.authority != nil else {
            throw CLIFailure.badInput("the store holds no Device CA yet; 'anchordesk init' makes one", code: "no-certificate-material")
        }
        return keyring
    }

    /// One device's certificate of a key usage.
    static func issue(_ device: EUI64, usage: KeyUsage, keyring: DeviceKeyring) throws(CLIFailure) -> OrganisationCertificate {
        do {
            return try keyring.certificate(for: device, usage: usage)
        } catch {
            throw CLIFailure(exitCode: .internalError, code: "certificate-not-issued", message: "the Device CA could not issue \(device)'s certificate: \(error)")
        }
    }
}
