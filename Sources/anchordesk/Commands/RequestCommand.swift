import AnchorCore
import AnchorService
import AnchorStore
import ArgumentParser
import DCCWire
import DUISServer

/// `anchordesk request 6.15.1|6.21`: sends one Service Request and reports its outcome.
struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Send a Service Request.",
        subcommands: [UpdateSecurityCredentials.self, RequestHandover.self])

    /// SRV6.15.1 into the Network Operator cells.
    struct UpdateSecurityCredentials: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "6.15.1",
            abstract: "SRV6.15.1 Update Security Credentials: replace the certificates in a GPF's Network Operator cells.",
            discussion: "A departing GNO hands its devices back with --cert acb; the DCC records the command's counter.")

        @OptionGroup var options: CommonOptions

        @OptionGroup var keys: KeyOptions

        @Option(name: .customLong("as"), help: "The sending organisation (the GNO whose certificate is in the cells).")
        var sender: String

        @Option(help: "The target device ID.")
        var device: String

        @Option(help: "A certificate ID, or an owner's ID for its DS and KA pair (acb = the ACB's).")
        var cert: String

        @Option(parsing: .unconditional, help: "The Originator Counter to use (default: the sender's next counter).")
        var counter: String?

        @Option(name: .customLong("new-floor"), parsing: .unconditional, help: "newRemotePartyFloorSeqNumber (default: the command's own counter).")
        var newFloor: String?

        @Option(name: .customLong("execute-at"),
                help: "Future-date it: the device acknowledges now and executes at this time (YYYY-MM-DDTHH:MM:SSZ); its alert reports the outcome.")
        var executeAt: String?

        @Flag(name: .customLong("cancel-scheduled"),
              help: "Cancel the device's pending future-dated command (the same command with executionDateTime 99991231235959Z).")
        var cancelScheduled = false

        @Flag(name: .customLong("show-wire"), help: "Also print the GBCS command and response as hex, field by field.")
        var showWire = false

        @OptionGroup var counterJump: CounterJumpOption

        func run() throws {
            let device = try Arguments.deviceID(device)
            let counter = try counter.map { text throws(CLIFailure) in try Arguments.counter(text, option: "--counter") }
            let newFloor = try newFloor.map { text throws(CLIFailure) in try Arguments.counter(text, option: "--new-floor") }
            let execution = try Arguments.execution(executeAt: executeAt, cancel: cancelScheduled)
            if let connection = try options.operatorAPI() {
                try RemoteRequest.refuse(["--show-wire": showWire])
                try RemoteRequest.checkJump([counter, newFloor].compactMap { $0 }, allowed: counterJump.allowed)
                let draft = DUISRequestDraft(service: .updateSecurityCredentials, organisation: sender, device: device, certificate: cert,
                                             counter: counter?.value, newFloor: newFloor?.value, execution: execution)
                return try RemoteRequest.submit(draft, through: connection, keys: keys.directory, allowCounterJump: counterJump.allowed, options: options)
            }
            try RequestSubmission.submit(options: options, keys: keys.directory, showWire: showWire) { ledger throws(RequestError) in
                try counterJump.check(CounterJump.inUpdate(counter: counter, newFloor: newFloor, sender: sender, in: ledger))
                return .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                    sender: sender, device: device, replacementCertificates: try ledger.resolveCertificates(cert),
                    counter: counter, newFloor: newFloor, execution: execution))
            }
        }
    }

    /// SRV6.21 placing a GNO's certificates.
    struct RequestHandover: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "6.21",
            abstract: "SRV6.21 Request Handover: the ACB places a GNO's certificates in a GPF's Network Operator cells.",
            discussion: "The ACB's counter is raised above the device's recorded counter unless --legacy-counters is given.")

        @OptionGroup var options: CommonOptions

        @OptionGroup var keys: KeyOptions

        @Option(name: .customLong("as"), help: "The requesting Supplier (the device's Responsible Supplier).")
        var supplier: String

        @Option(help: "The target device ID.")
        var device: String

        @Option(help: "The incoming Gas Network Operator.")
        var gno: String

        @Flag(name: .customLong("legacy-counters"), help: "Ignore the recorded counter, as before SECMP0128A (shows the failure).")
        var legacyCounters = false

        @Flag(name: .customLong("show-wire"), help: "Also print the GBCS command and response as hex, field by field.")
        var showWire = false

        func run() throws {
            let device = try Arguments.deviceID(device)
            if let connection = try options.operatorAPI() {
                try RemoteRequest.refuse(["--legacy-counters": legacyCounters, "--show-wire": showWire])
                let draft = DUISRequestDraft(service: .requestHandover, organisation: supplier, device: device, networkOperator: gno)
                return try RemoteRequest.submit(draft, through: connection, keys: keys.directory, allowCounterJump: false, options: options)
            }
            try RequestSubmission.submit(options: options, showWire: showWire) { _ throws(RequestError) in
                .requestHandover(HandoverRequest(supplier: supplier, device: device, networkOperator: gno, legacyCounters: legacyCounters))
            }
        }
    }
}

/// The CLI's adapter for ``AnchorService/ServiceSession/submit(_:)``: open, submit, report.
enum RequestSubmission {
    static func submit(
        options: CommonOptions, keys: String? = KeyOptions.environmentDirectory, showWire: Bool = false,
        build: (Ledger) throws(RequestError) -> ServiceRequest
    ) throws(CLIFailure) {
        let session = try options.openSession(keys: keys)
        defer { session.close() }
        let submission: Submission
        do {
            submission = try session.submit(build)
        } catch {
            throw CLIFailure(error)
        }
        Console.report(submission.compaction)
        try report(submission.record, options: options, exchanges: showWire ? submission.exchanges : nil)
    }

    /// Prints what a request came to (with its wire exchanges, when asked for) and exits 1 for a rejection.
    static func report(_ record: RequestRecord, options: CommonOptions, exchanges: [WireExchange]? = nil) throws(CLIFailure) {
        var document = Presentation.request(record)
        if let exchanges, case .object(let members) = document {
            document = .object(members + [("wire", WirePresentation.json(exchanges))])
        }
        options.emit(document, human: {
            Presentation.requestLines(record) + (exchanges.map(WirePresentation.lines) ?? [])
        })
        if record.outcome == .rejected {
            throw CLIFailure(exitCode: .rejected, code: record.reason?.rawValue ?? "rejected", message: record.detail)
        }
    }
}
