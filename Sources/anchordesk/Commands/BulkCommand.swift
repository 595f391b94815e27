import AnchorCore
import AnchorService
import AnchorStore
import ArgumentParser
import Foundation

/// `anchordesk bulk 6.15.1`: SRV6.15.1 to every matching device, in durable groups.
struct BulkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulk", abstract: "Send a Service Request to every matching device.",
        subcommands: [UpdateSecurityCredentials.self])

    /// Bulk SRV6.15.1: a departing GNO hands all its devices back to the ACB (FIA Req 4).
    struct UpdateSecurityCredentials: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "6.15.1",
            abstract: "SRV6.15.1 to every matching GPF, with progress; durable in groups, resumable.",
            discussion: """
                Devices whose Network Operator cell already holds the replacement certificate are skipped, so \
                rerunning after an interruption finishes the rest and sends nothing twice. Ctrl-C stops after \
                the current group (exit 130). With --json, one JSON line per request, each printed only once \
                its group is on disk.
                """)

        @OptionGroup var options: CommonOptions

        @OptionGroup var keys: KeyOptions

        @Option(name: .customLong("as"), help: "The sending organisation.")
        var sender: String

        @Option(help: "Which devices (e.g. no=national-grid).")
        var filter: String

        @Option(help: "A certificate ID, or an owner's ID for its DS and KA pair (acb = the ACB's).")
        var cert: String

        @Option(name: .customLong("group-size"), parsing: .unconditional, help: "Requests per durable group (one fsync each).")
        var groupSize = 500

        @Option(name: .customLong("execute-at"),
                help: "Future-date every command to this time (YYYY-MM-DDTHH:MM:SSZ); devices already holding one are skipped.")
        var executeAt: String?

        func run() throws {
            let filter = try Arguments.filter(filter)
            let execution = try Arguments.execution(executeAt: executeAt, cancel: false)
            guard (1...100_000).contains(groupSize) else { throw CLIFailure.badInput("--group-size must be 1 to 100000") }
            let session = try options.openSession(keys: keys.directory)
            defer { session.close() }
            let ledger = session.estate.ledger
            let signer = try Arguments.organisation(sender, in: ledger)
            try Arguments.checkNames(filter, in: ledger)
            let certificates = try Arguments.certificates(cert, in: ledger)
            let signingReplacement = certificates.first { ledger.certificate($0)?.keyUsage == .digitalSigning }
            let matching: [Device]
            do {
                matching = try session.selection(filter).devices.devices
            } catch {
                throw CLIFailure(error)
            }
            // A rerun sends nothing twice: devices already holding the replacement, or (when
            // scheduling) already holding a scheduled command, are skipped.
            let needed = matching.filter { device in signingReplacement == nil || device.cells[.networkOperatorDS] != signingReplacement }
            let alreadyScheduled = needed.filter { session.hasScheduledCommand($0.id) }.count
            let pending = needed.filter { device in execution == .immediate || !session.hasScheduledCommand(device.id) }.map(\.id)
            if alreadyScheduled > 0 {
                Console.warn(execution == .immediate
                    ? "\(alreadyScheduled) of these devices hold a scheduled command; sent now, it will fail (0x8F67) when it falls due"
                    : "\(alreadyScheduled) of these devices already hold a scheduled command and are skipped; to move its time, cancel it (request 6.15.1 --cancel-scheduled) and schedule again")
            }
            let run = BulkRun(session: session, signer: signer, total: pending.count, skipped: matching.count - pending.count,
                              json: options.json)
            let outcome = try run.perform(pending, groupSize: groupSize) { device in
                .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                    sender: sender, device: device, replacementCertificates: certificates, execution: execution))
            }
            try run.finish(outcome)
        }
    }
}

/// The CLI's adapter for ``AnchorService/ServiceSession/bulk(_:signer:groupSize:request:stopRequested:afterGroup:)``:
/// a progress line, Ctrl-C, and each request printed (with `--json`) once its group is durable.
final class BulkRun {
    private let session: ServiceSession
    /// The User whose key signs every request, checked before anything is sent (`nil`: the DCC signs).
    private let signer: Organisation?
    private let total: Int
    private let skipped: Int
    private let json: Bool
    private let progress: ProgressLine?

    init(session: ServiceSession, signer: Organisation? = nil, total: Int, skipped: Int, json: Bool) {
        self.session = session
        self.signer = signer
        self.total = total
        self.skipped = skipped
        self.json = json
        progress = isatty(STDERR_FILENO) == 1 ? ProgressLine(total: total) : nil
    }

    /// Sends one request per device, a group at a time; the summary is ``finish(_:)``'s.
    func perform(_ devices: [EUI64], groupSize: Int, request: (EUI64) -> ServiceRequest) throws(CLIFailure) -> BulkResult {
        let interruption = Interruption.install()
        defer { interruption.remove() }
        let result: BulkResult
        do {
            result = try session.bulk(devices, signer: signer, groupSize: groupSize, request: request,
                                      stopRequested: { interruption.requested }) { records, tally in
                if json { for record in records { Console.out(Presentation.request(record).compact()) } }
                progress?.update(done: tally.done)
                return !interruption.requested
            }
        } catch {
            throw CLIFailure(error)
        }
        progress?.finish()
        if let failure = result.failure { throw CLIFailure(failure) }
        Console.report(result.compaction)
        return result
    }

    /// Prints the summary; exits 130 after an interruption and fails (exit 1) if any request was rejected.
    func finish(_ result: BulkResult) throws {
        let tally = result.tally
        let scheduled = tally.scheduled > 0 ? ", \(tally.scheduled) scheduled" : ""
        let summary = "\(tally.done) of \(total) sent: \(tally.succeeded) succeeded\(scheduled), \(tally.rejected) rejected; \(skipped) already done"
        if result.stopped {
            Console.warn("interrupted after \(tally.done) requests, all of them durable; rerun the same command to finish the other \(total - tally.done)")
            if !json { Console.out(summary) }
            Foundation.exit(130)
        }
        if !json { Console.out(summary) }
        if tally.rejected > 0 {
            throw CLIFailure(exitCode: .rejected, code: "rejected", message: "\(tally.rejected) requests were rejected")
        }
    }
}
