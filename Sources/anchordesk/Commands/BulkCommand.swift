import AnchorCore
import AnchorService
import AnchorStore
import ArgumentParser
import DUISServer
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

        @Option(help: "Send to at most this many of the devices (the first in the selection's order); rerun for the next.")
        var limit: Int?

        @Option(name: .customLong("execute-at"),
                help: "Future-date every command to this time (YYYY-MM-DDTHH:MM:SSZ); devices already holding one are skipped.")
        var executeAt: String?

        func run() throws {
            let filter = try Arguments.filter(filter)
            let execution = try Arguments.execution(executeAt: executeAt, cancel: false)
            guard (1...100_000).contains(groupSize) else { throw CLIFailure.badInput("--group-size must be 1 to 100000") }
            if let limit, limit < 0 { throw CLIFailure.badInput("--limit must be 0 or more") }
            if let connection = try options.operatorAPI() {
                guard groupSize <= OperatorBulk.maximumGroup else {
                    throw CLIFailure.badInput("through the operator API --group-size must be 1 to \(OperatorBulk.maximumGroup)")
                }
                let handBack = RemoteHandBack(connection: connection, sender: sender, certificate: cert, executeAt: executeAt, execution: execution)
                return try RemoteBulk(handBack: handBack, json: options.json)
                    .run(filter: self.filter, limit: limit, groupSize: groupSize, keys: keys.directory)
            }
            let session = try options.openSession(keys: keys.directory)
            defer { session.close() }
            let ledger = session.estate.ledger
            let signer = try Arguments.organisation(sender, in: ledger)
            try Arguments.checkNames(filter, in: ledger)
            let certificates = try Arguments.certificates(cert, in: ledger)
            let plan: HandBackPlan
            do {
                plan = try session.handBackPlan(filter, replacements: certificates, execution: execution).limited(to: limit)
            } catch {
                throw CLIFailure(error)
            }
            if let warning = plan.scheduledWarning(execution: execution) { Console.warn(warning) }
            let run = BulkRun(session: session, signer: signer, total: plan.pending.count, skipped: plan.skipped, json: options.json)
            let outcome = try run.perform(plan.pending, groupSize: groupSize) { device in
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
        try BulkSummary(total: total, skipped: skipped, json: json).finish(result.tally, stopped: result.stopped)
    }
}

/// The end of a bulk run, at the DSP or through the operator API: one summary line, exit 130
/// after an interruption, exit 1 if any request was rejected or refused.
struct BulkSummary {
    /// The devices the run was to send to.
    let total: Int
    /// Matching devices left out as already done.
    let skipped: Int
    let json: Bool

    /// Prints the summary and exits as the run's outcome says.
    /// - Parameter refused: commands the DSP refused before any device saw them (operator API only).
    func finish(_ tally: BulkTally, stopped: Bool, refused: Int = 0) throws {
        let scheduled = tally.scheduled > 0 ? ", \(tally.scheduled) scheduled" : ""
        let refusedText = refused > 0 ? ", \(refused) refused by the DSP before the device" : ""
        let summary = "\(tally.done) of \(total) sent: \(tally.succeeded) succeeded\(scheduled), \(tally.rejected) rejected\(refusedText); \(skipped) already done"
        if stopped {
            Console.warn("interrupted after \(tally.done) requests, all of them durable; rerun the same command to finish the other \(total - tally.done)")
            if !json { Console.out(summary) }
            Foundation.exit(130)
        }
        if !json { Console.out(summary) }
        if tally.rejected > 0 || refused > 0 {
            let what = [tally.rejected > 0 ? "\(tally.rejected) requests were rejected" : nil, refused > 0 ? "\(refused) were refused by the DSP" : nil]
            throw CLIFailure(exitCode: .rejected, code: "rejected", message: what.compactMap { $0 }.joined(separator: "; "))
        }
    }
}
