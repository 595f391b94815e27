import AnchorCore
import AnchorStore
import ArgumentParser
import DUIS
import DUISServer
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
            let draft = DUISRequestDraft(
                service: .updateSecurityCredentials, organisation: sender, device: try Arguments.deviceID(device), certificate: cert,
                counter: try counter.map { text throws(CLIFailure) in try Arguments.counter(text, option: "--counter").value },
                newFloor: try newFloor.map { text throws(CLIFailure) in try Arguments.counter(text, option: "--new-floor").value })
            try DUISDraftWriting.write(draft, options: options, keys: keys.directory)
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
            let draft = DUISRequestDraft(
                service: .requestHandover, organisation: supplier, device: try Arguments.deviceID(device), networkOperator: gno,
                counter: try counter.map { text throws(CLIFailure) in try Arguments.counter(text, option: "--counter").value })
            try DUISDraftWriting.write(draft, options: options, keys: keys.directory)
        }
    }
}

/// Writes a draft out signed by its User, with the certificates from the store's Repository.
enum DUISDraftWriting {
    static func write(_ draft: DUISRequestDraft, options: CommonOptions, keys: String?) throws(CLIFailure) {
        let signer = try DUISSigner(options: options, keys: keys, organisation: draft.organisation)
        let store = try options.openForReading()
        defer { store.close() }
        let ledger = store.estate.ledger
        guard let material = try Credentials.read(options, ledger: ledger) else {
            throw CLIFailure.badInput("the store has no SMKI vault yet; run 'anchordesk init --demo'", code: "no-vault")
        }
        let document: [UInt8]
        do {
            document = try draft.document(in: DUISRepository(material: material, ledger: ledger))
        } catch {
            throw CLIFailure(error)
        }
        DUISFiles.write(try signer.signed(document), json: options.json)
    }
}
