import AnchorCore
import AnchorStore
import ArgumentParser
import DUIS
import SMKI

/// `anchordesk duis request 6.15.1|6.21`: a signed DUIS request as a User's tooling would send it.
struct DUISRequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Write a signed DUIS request for 'anchordesk serve' (certificates from the store's Repository).",
        subcommands: [UpdateSecurityCredentials.self, RequestHandover.self])

    /// The CommandVariant 4 request for SRV6.15.1.
    struct UpdateSecurityCredentials: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "6.15.1", abstract: "SRV6.15.1 (CommandVariant 4, to /api/v1/serviceT): a GNO replaces its Network Operator certificates.")

        @OptionGroup var options: CommonOptions
        @OptionGroup var keys: KeyOptions

        @Option(name: .customLong("as"), help: "The sending GNO.")
        var sender: String

        @Option(help: "The target device ID.")
        var device: String

        @Option(help: "A certificate ID, or an owner's ID for its DS and KA pair (acb = the ACB's).")
        var cert: String

        @Option(parsing: .unconditional, help: "The Request ID counter (default: the sender's next).")
        var counter: String?

        @Option(name: .customLong("new-floor"), parsing: .unconditional, help: "RemotePartyFloorSeqNumber (default: none, so the command's own counter).")
        var newFloor: String?

        func run() throws {
            let device = try Arguments.deviceID(device)
            let floor = try newFloor.map { text throws(CLIFailure) in try Arguments.counter(text, option: "--new-floor").value }
            let signer = try DUISSigner(options: options, keys: keys.directory, organisation: sender)
            let (ids, repository) = try DUISRepository.read(options) { ledger throws(RequestError) in try ledger.resolveCertificates(cert) }
            let requestID = DUISRequestID(
                originator: signer.organisation.entityId, target: device, counter: try DUISRepository.counter(counter, after: signer.organisation))
            let document = DUISRequestDocument.updateSecurityCredentials(
                requestID: requestID, floor: floor, certificates: try repository.certificates(ids))
            DUISFiles.write(try signer.signed(document), json: options.json)
        }
    }

    /// The CommandVariant 1 request for SRV6.21.
    struct RequestHandover: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "6.21", abstract: "SRV6.21 (CommandVariant 1, to /api/v1/serviceS): a Supplier asks the ACB to place a GNO's certificates.")

        @OptionGroup var options: CommonOptions
        @OptionGroup var keys: KeyOptions

        @Option(name: .customLong("as"), help: "The requesting Supplier.")
        var supplier: String

        @Option(help: "The target device ID.")
        var device: String

        @Option(help: "The incoming Gas Network Operator.")
        var gno: String

        @Option(parsing: .unconditional, help: "The Request ID counter (default: the Supplier's next).")
        var counter: String?

        func run() throws {
            let device = try Arguments.deviceID(device)
            let signer = try DUISSigner(options: options, keys: keys.directory, organisation: supplier)
            let (ids, repository) = try DUISRepository.read(options) { ledger throws(RequestError) in
                // --gno names an organisation: unknown, it is unknown-org, as for 'request 6.21'.
                try ledger.resolveCertificates(try ledger.existingOrganisation(gno).id)
            }
            let requestID = DUISRequestID(
                originator: signer.organisation.entityId, target: device, counter: try DUISRepository.counter(counter, after: signer.organisation))
            DUISFiles.write(try signer.signed(DUISRequestDocument.requestHandover(requestID: requestID, certificates: try repository.certificates(ids))), json: options.json)
        }
    }
}

/// The store's certificates as a request carries them: DER, with the issuing CA as the path.
struct DUISRepository {
    let material: CredentialMaterial
    let ledger: Ledger

    /// The certificate IDs `resolve` names and the Repository to read them from.
    static func read(
        _ options: CommonOptions, resolve: (Ledger) throws(RequestError) -> [String]
    ) throws(CLIFailure) -> ([String], DUISRepository) {
        let store = try options.openForReading()
        defer { store.close() }
        let ledger = store.estate.ledger
        let ids: [String]
        do {
            ids = try resolve(ledger)
        } catch {
            throw CLIFailure(error)
        }
        guard let material = try Credentials.read(options, ledger: ledger) else {
            throw CLIFailure.badInput("the store has no SMKI vault yet; run 'anchordesk init --demo'", code: "no-vault")
        }
        return (ids, DUISRepository(material: material, ledger: ledger))
    }

    /// The DS and KA certificates among `ids`, and the path.
    func certificates(_ ids: [String]) throws(CLIFailure) -> DUISRequestDocument.Certificates {
        func der(_ usage: KeyUsage) -> [UInt8]? {
            ids.first { ledger.certificate($0)?.keyUsage == usage }.flatMap { material.certificates[$0]?.der }
        }
        guard let digitalSigning = der(.digitalSigning) else {
            throw CLIFailure.badInput("no Digital Signing certificate among \(ids.joined(separator: ", "))", code: "unknown-certificate")
        }
        return DUISRequestDocument.Certificates(
            digitalSigning: digitalSigning, keyAgreement: der(.keyAgreement), path: [material.authority.certificate.der])
    }

    /// The counter given, or the organisation's next.
    static func counter(_ text: String?, after organisation: Organisation) throws(CLIFailure) -> UInt64 {
        if let text { return try Arguments.counter(text, option: "--counter").value }
        guard let next = organisation.lastCounter.successor else {
            throw CLIFailure.badInput("\(organisation.id) has no counter left", code: "counter-exhausted")
        }
        return next.value
    }
}
