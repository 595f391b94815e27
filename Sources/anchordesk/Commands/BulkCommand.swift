import AnchorCore
import AnchorStore
import ArgumentParser
import Foundation
import GPFSimulator

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

        @Option(name: .customLong("group-size"), help: "Requests per durable group (one fsync each).")
        var groupSize = 500

        @Option(name: .customLong("execute-at"),
                help: "Future-date every command to this time (YYYY-MM-DDTHH:MM:SSZ); devices already holding one are skipped.")
        var executeAt: String?

        func run() throws {
            let filter = try Arguments.filter(filter)
            let execution = try Arguments.execution(executeAt: executeAt, cancel: false)
            guard (1...100_000).contains(groupSize) else { throw CLIFailure.badInput("--group-size must be 1 to 100000") }
            let store = try options.openForWriting(keys: keys.directory)
            defer { store.close() }
            let ledger = store.estate.ledger
            guard let signer = ledger.organisation(sender) else { throw CLIFailure(RequestError.unknownOrganisation(sender)) }
            let certificates: [String]
            do {
                certificates = try ledger.resolveCertificates(cert)
            } catch {
                throw CLIFailure(error)
            }
            let signingReplacement = certificates.first { ledger.certificate($0)?.keyUsage == .digitalSigning }
            let matching = store.estate.devices.devices.filter { filter.matches($0, in: ledger) }
            // A rerun sends nothing twice: devices already holding the replacement, or (when
            // scheduling) already holding a scheduled command, are skipped.
            let needed = matching.filter { device in signingReplacement == nil || device.cells[.networkOperatorDS] != signingReplacement }
            let alreadyScheduled = needed.filter { ledger.pendingCommand(for: $0.id) != nil }.count
            let pending = needed.filter { device in execution == .immediate || ledger.pendingCommand(for: device.id) == nil }.map(\.id)
            if alreadyScheduled > 0 {
                Console.warn(execution == .immediate
                    ? "\(alreadyScheduled) of these devices hold a scheduled command; sent now, it will fail (0x8F67) when it falls due"
                    : "\(alreadyScheduled) of these devices already hold a scheduled command and are skipped; to move its time, cancel it (request 6.15.1 --cancel-scheduled) and schedule again")
            }
            let run = BulkRun(store: store, options: options, keys: keys.directory, signer: signer, total: pending.count,
                              skipped: matching.count - pending.count, json: options.json)
            let outcome = try run.perform(pending, groupSize: groupSize, clock: options.now) { device in
                .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                    sender: sender, device: device, replacementCertificates: certificates, execution: execution))
            }
            try run.finish(outcome)
        }
    }
}

/// What a bulk run did.
struct BulkOutcome {
    var done: Int
    var succeeded: Int
    var scheduled: Int
    var rejected: Int
    /// Ctrl-C stopped it before every device was sent.
    var interrupted: Bool
}

/// One bulk run: evaluate, stage, flush per group, report only what is durable.
final class BulkRun {
    private let store: Store
    private let options: CommonOptions
    private let keys: String?
    /// The User whose key signs every request, checked before anything is sent (`nil`: the DCC signs).
    private let signer: Organisation?
    private let total: Int
    private let skipped: Int
    private let json: Bool
    private let progress: ProgressLine?
    private var succeeded = 0
    private var scheduled = 0
    private var rejected = 0

    init(store: Store, options: CommonOptions, keys: String? = KeyOptions.environmentDirectory, signer: Organisation? = nil,
         total: Int, skipped: Int, json: Bool) {
        self.store = store
        self.options = options
        self.keys = keys
        self.signer = signer
        self.total = total
        self.skipped = skipped
        self.json = json
        progress = isatty(STDERR_FILENO) == 1 ? ProgressLine(total: total) : nil
    }

    /// Sends one request per device, a group at a time, stamping each group with `clock()`.
    /// Prints each request (with `--json`) once durable; the summary is ``finish(_:)``'s.
    func perform(_ devices: [EUI64], groupSize: Int, clock: () throws(CLIFailure) -> Timestamp,
                 request: (EUI64) -> ServiceRequest) throws -> BulkOutcome {
        let interruption = Interruption.install()
        defer { interruption.remove() }
        let credentials = try Credentials.load(options, keys: keys, ledger: store.estate.ledger, now: try clock())
        if let signer, !devices.isEmpty { try Credentials.requireSigningKey(of: signer, in: credentials) }
        let workers = try options.workers()
        let prefetcher = WirePrefetcher.start(for: devices, in: store.estate, credentials: credentials, groupSize: groupSize, request: request)
        defer { prefetcher?.stop() }
        var done = 0
        while done < devices.count && !interruption.requested {
            let group = devices[done..<min(done + groupSize, devices.count)]
            var records: [RequestRecord] = []
            records.reserveCapacity(group.count)
            let now = try clock()
            // Evaluated on every worker at once; applied, and made durable, one at a time in order.
            do {
                try Speculation.stageInOrder(group.map(request), estate: { store.estate }, now: now, credentials: credentials,
                                             workers: workers) { change in
                    try store.stage(change)
                    records.append(change.ledger.request)
                }
            } catch let error as RequestError {
                throw CLIFailure(error)
            } catch let error as StoreError {
                throw CLIFailure(error)
            }
            do {
                try store.flush()
            } catch {
                progress?.finish()
                throw CLIFailure(error)
            }
            // Only now, with the group on disk, is anything reported.
            for record in records {
                switch record.outcome {
                case .succeeded: succeeded += 1
                case .scheduled: scheduled += 1
                case .rejected: rejected += 1
                }
                if json { Console.out(Presentation.request(record).compact()) }
            }
            done += group.count
            prefetcher?.finishedGroup()
            progress?.update(done: done)
        }
        progress?.finish()
        do {
            if try store.compactIfJournalIsLarge() { Console.note("compacted the store: the journal was folded into a new snapshot") }
        } catch {
            throw CLIFailure(error)
        }
        return BulkOutcome(done: done, succeeded: succeeded, scheduled: scheduled, rejected: rejected,
                           interrupted: interruption.requested && done < total)
    }

    /// Prints the summary; exits 130 after an interruption and fails (exit 1) if any request was rejected.
    func finish(_ outcome: BulkOutcome) throws {
        let done = outcome.done
        let scheduled = outcome.scheduled > 0 ? ", \(outcome.scheduled) scheduled" : ""
        let summary = "\(done) of \(total) sent: \(outcome.succeeded) succeeded\(scheduled), \(outcome.rejected) rejected; \(skipped) already done"
        if outcome.interrupted {
            Console.warn("interrupted after \(done) requests, all of them durable; rerun the same command to finish the other \(total - done)")
            if !json { Console.out(summary) }
            Foundation.exit(130)
        }
        if !json { Console.out(summary) }
        if outcome.rejected > 0 {
            throw CLIFailure(exitCode: .rejected, code: "rejected", message: "\(outcome.rejected) requests were rejected")
        }
    }

}
