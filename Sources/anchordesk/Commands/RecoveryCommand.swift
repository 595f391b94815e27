import AnchorCore
import AnchorService
import AnchorStore
import ArgumentParser
import DUISServer
import Foundation

/// `anchordesk recovery`: an SMKI PMA Recovery Event on every matching GPF.
struct RecoveryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery",
        abstract: "EXCEPTIONAL: a Recovery Event replaces the certificates in matching GPFs' Network Operator cells.",
        discussion: """
            Models the SMKI PMA recovery used for the National Grid devices: a CS02b \
            anyExceptAbnormalRootByRecovery signed by the SMKI Recovery organisation with its own counter \
            sequence, authorised by the device's Recovery cell, setting the NO floor to --new-floor (default 0). \
            When the ACB ends up in the NO cells, the NO floor the device reports is recorded as its counter, so a \
            later SRV6.21 succeeds. Needs --reason; on a terminal you confirm by typing the number of devices, \
            otherwise (and with --json) give --yes. Durable in groups with progress; Ctrl-C stops after the \
            current group and a rerun skips devices already done (replacement in place and a counter recorded).
            """)

    @OptionGroup var options: CommonOptions

    @Option(help: "Which devices (e.g. no=national-grid).")
    var filter: String

    @Option(name: .customLong("replace-with"), help: "The replacement: acb (the ACB's DS/KA pair), an owner's ID or a certificate ID.")
    var replaceWith: String

    @Option(help: "Why this exceptional action is taken; kept in the request log and the audit trail.")
    var reason: String

    @Option(name: .customLong("new-floor"), parsing: .unconditional, help: "The NO floor the devices take afterwards (newRemotePartyFloorSeqNumber).")
    var newFloor: String = "0"

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @Option(name: .customLong("group-size"), parsing: .unconditional, help: "Requests per durable group (one fsync each).")
    var groupSize = 500

    @OptionGroup var counterJump: CounterJumpOption

    func run() throws {
        let filter = try Arguments.filter(filter)
        let floor = try Arguments.counter(newFloor, option: "--new-floor")
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw CLIFailure.badInput("--reason must say why this Recovery Event is needed") }
        guard (1...100_000).contains(groupSize) else { throw CLIFailure.badInput("--group-size must be 1 to 100000") }
        guard yes || !options.json else { throw CLIFailure.badInput("--json needs --yes: a Recovery Event is confirmed before it starts") }
        let interactive = isatty(STDIN_FILENO) == 1
        guard yes || interactive else { throw CLIFailure.badInput("give --yes to confirm a Recovery Event when not on a terminal") }

        if let connection = try options.operatorAPI() {
            let remote = RemoteRecovery(connection: connection, plan: OperatorRecovery.PlanRequest(
                filter: self.filter, replaceWith: replaceWith, newFloor: floor, allowCounterJump: counterJump.allowed), reason: reason)
            let planned = try remote.planned()
            if !yes, !planned.pending.isEmpty { try confirm(planned.pending.count, floor: floor, reason: reason) }
            return try remote.run(planned, groupSize: groupSize, json: options.json)
        }
        if !yes {
            // Ask before taking the lock, so nobody waits on an operator reading the question.
            let preview = try options.openForReading()
            try Arguments.checkNames(filter, in: preview.estate.ledger)
            try checkFloor(floor, in: preview.estate.ledger)
            let count = try Self.plan(preview.estate, filter: filter, replacement: replaceWith).pending.count
            guard count > 0 else { return try execute(filter: filter, floor: floor, reason: reason) }
            try confirm(count, floor: floor, reason: reason)
        }
        try execute(filter: filter, floor: floor, reason: reason)
    }

    /// Asks the operator to type the number of devices; anything else cancels (exit 2, nothing sent).
    private func confirm(_ count: Int, floor: OriginatorCounter, reason: String) throws(CLIFailure) {
        Console.note("""
            EXCEPTIONAL ACTION: a Recovery Event on \(count) device\(count == 1 ? "" : "s"), \
            signed by the SMKI Recovery key, replacing their Network Operator certificates with \
            '\(Presentation.safe(replaceWith))' and setting the NO floor to \(floor).
            reason: \(Presentation.safe(reason))
            Type \(count) to go ahead, anything else to cancel:
            """)
        guard readLine()?.trimmingCharacters(in: .whitespaces) == String(count) else {
            throw CLIFailure.badInput("cancelled: nothing was sent", code: "cancelled")
        }
    }

    private func execute(filter: DeviceFilter, floor: OriginatorCounter, reason: String) throws {
        let session = try options.openSession()
        defer { session.close() }
        try Arguments.checkNames(filter, in: session.estate.ledger)
        let selection: Estate
        do {
            selection = try session.selection(filter)
        } catch {
            throw CLIFailure(error)
        }
        try checkFloor(floor, in: selection.ledger)
        let plan = try Self.plan(selection, filter: filter, replacement: replaceWith)
        let run = BulkRun(session: session, total: plan.pending.count, skipped: plan.skipped, json: options.json)
        let outcome = try run.perform(plan.pending, groupSize: groupSize) { device in
            .recovery(RecoveryRequest(device: device, replacementCertificates: plan.certificates, newFloor: floor, reason: reason))
        }
        try run.finish(outcome)
    }

    /// Refuses a floor that jumps far past the ACB's counter, unless `--allow-counter-jump`.
    private func checkFloor(_ floor: OriginatorCounter, in ledger: Ledger) throws(CLIFailure) {
        do {
            try counterJump.check([CounterJump.inRecovery(newFloor: floor, in: ledger)].compactMap { $0 })
        } catch {
            throw CLIFailure(error)
        }
    }

    /// The replacement certificates, the devices still to do, and how many are already done
    /// (``RecoveryPlan``, which the console uses too).
    private static func plan(_ estate: Estate, filter: DeviceFilter, replacement: String) throws(CLIFailure) -> RecoveryPlan {
        do {
            return try RecoveryPlan(estate: estate, filter: filter, replacement: replacement)
        } catch {
            throw CLIFailure(error)
        }
    }
}
