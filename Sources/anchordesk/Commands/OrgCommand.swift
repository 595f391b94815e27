import AnchorCore
import AnchorService
import AnchorStore
import ArgumentParser
import DUISServer
import Foundation
import OperatorClient

/// `anchordesk org show|subscribe|cease|revoke ORG`: one organisation's life as a DCC User
/// and SMKI Subscriber (FIA Req 4, 5, 6).
struct OrgCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "org", abstract: "Show an organisation, or subscribe, cease or revoke it.",
        subcommands: [Show.self, Subscribe.self, Cease.self, Revoke.self])

    /// `org show ORG`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Role, entity ID, DCC User status, subscription, certificates and the devices holding them.")

        @OptionGroup var options: CommonOptions

        @Argument(help: "The organisation ID.")
        var organisation: String

        func run() throws {
            let reading = try OrganisationsReading.read(options, issued: false)
            let ledger = reading.ledger
            let organisation = try Arguments.organisation(organisation, in: ledger)
            let holding = reading.holding(organisation.id)
            let revocation = ledger.revocationRequest(of: organisation.id)
            let history = ledger.lifecycle.filter { $0.organisation == organisation.id }
            let filter = Estate.holdingFilter(for: organisation)
            guard case .object(let members) = Presentation.organisation(organisation, ledger) else { return }
            options.emit(.object(members + [
                ("devicesHoldingCertificates", .integer(holding)),
                ("listDevices", .optional(filter.map { "anchordesk devices --filter " + Presentation.safe($0) })),
                ("revocationRequested", .bool(revocation != nil)),
                ("lifecycle", .array(history.map { LifecyclePresentation.record($0, listFilter: filter) })),
            ]), human: {
                var lines = [
                    "\(Presentation.safe(organisation.id))  \(Presentation.safe(organisation.name))",
                    "  role          \(organisation.role.label)",
                    "  entity ID     \(organisation.entityId)",
                    "  DCC User      \(organisation.dccUser ? "yes" : "no")",
                    "  subscribed    \(organisation.subscribed ? "yes" : "no")"
                        + (revocation.map { " (asked for revocation on \($0.at.dateOnly): no further subscription)" } ?? ""),
                    "  last counter  \(organisation.lastCounter)",
                ]
                let certificates = ledger.certificates(ownedBy: organisation.id)
                lines.append("  certificates  " + (certificates.isEmpty ? "none" : certificates.map { certificate in
                    Presentation.safe(certificate.id) + " " + certificate.keyUsage.rawValue
                        + (certificate.revoked ? " (revoked)" : certificate.inRepository ? " (in repository)" : " (not in repository)")
                }.joined(separator: ", ")))
                lines.append("  devices       \(holding) hold its certificates" + (holding > 0 ? filter.map { ": anchordesk devices --filter \(Presentation.safe($0))" } ?? "" : ""))
                for record in history {
                    lines.append("  \(record.at)  \(record.action.rawValue) \(record.outcome.rawValue)" + (record.reason.map { " (\($0.rawValue))" } ?? ""))
                }
                return lines
            })
        }
    }

    /// `org subscribe ORG`.
    struct Subscribe: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "subscribe",
            abstract: "Subscribe to SMKI Organisation Certificates (optional for GNOs, FIA Req 6); issues a DS/KA pair if it has none.",
            discussion: "Refused (no-further-subscription) once the organisation has asked for revocation (FIA Req 5).")

        @OptionGroup var options: CommonOptions

        @Argument(help: "The organisation ID.")
        var organisation: String

        func run() throws {
            try LifecycleSubmission.submit(.subscribe, organisation: organisation, options: options)
        }
    }

    /// `org cease ORG [--hand-back]`.
    struct Cease: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cease",
            abstract: "The organisation stops being a DCC User (FIA Req 4).",
            discussion: """
                Refused (certificates-on-devices) while any device holds its certificates. With --hand-back, a \
                Network Operator first sends SRV6.15.1 → ACB to every GPF whose Network Operator cell holds its \
                certificate (durable in groups, with progress; Ctrl-C stops after the current group and a rerun \
                resumes), then ceases. With --json and --hand-back, one JSON line per request, then the cease.
                """)

        @OptionGroup var options: CommonOptions

        @Argument(help: "The organisation ID.")
        var organisation: String

        @Flag(name: .customLong("hand-back"), help: "First hand every device holding its certificate back to the ACB (SRV6.15.1).")
        var handBack = false

        @OptionGroup var keys: KeyOptions

        @Option(name: .customLong("group-size"), parsing: .unconditional, help: "Hand-back requests per durable group (one fsync each).")
        var groupSize = 500

        func run() throws {
            guard (1...100_000).contains(groupSize) else { throw CLIFailure.badInput("--group-size must be 1 to 100000") }
            guard handBack else {
                try LifecycleSubmission.submit(.cease, organisation: organisation, options: options)
                return
            }
            if let connection = try options.operatorAPI() { return try remoteHandBackAndCease(through: connection) }
            let session = try options.openSession(keys: keys.directory)
            defer { session.close() }
            let ledger = session.estate.ledger
            let gno = try Arguments.organisation(organisation, in: ledger)
            guard gno.role == .networkOperator else {
                throw CLIFailure.badInput("--hand-back is for Network Operators; \(Presentation.safe(gno.id)) is a \(gno.role.label)")
            }
            if gno.dccUser {
                let certificates: [String]
                do {
                    certificates = try ledger.resolveCertificates("acb")
                } catch {
                    throw CLIFailure(error)
                }
                let pending: [EUI64]
                do {
                    pending = try session.selection(DeviceFilter(terms: [.networkOperator(gno.id)])).devices.map(\.id)
                } catch {
                    throw CLIFailure(error)
                }
                let run = BulkRun(session: session, signer: gno, total: pending.count, skipped: 0, json: options.json)
                let outcome = try run.perform(pending, groupSize: groupSize) { device in
                    .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                        sender: gno.id, device: device, replacementCertificates: certificates))
                }
                if outcome.stopped { try run.finish(outcome) }  // exits 130: rerun to resume, then cease
                if !options.json {
                    let tally = outcome.tally
                    Console.out("hand-back: \(tally.done) of \(pending.count) sent: \(tally.succeeded) succeeded, \(tally.rejected) rejected")
                }
            }
            try LifecycleSubmission.decideAndCommit(.cease, organisation: gno.id, session: session, options: options, compactLines: true)
        }

        /// Through the operator API: the hand-back as `bulk 6.15.1 --filter no=ORG` makes it (signed
        /// here with the GNO's key, for an operator granted the GNO), then the cease (for one granted
        /// the DCC's actions), reported as at the DSP.
        private func remoteHandBackAndCease(through connection: OperatorConnection) throws {
            guard groupSize <= OperatorBulk.maximumGroup else {
                throw CLIFailure.badInput("through the operator API --group-size must be 1 to \(OperatorBulk.maximumGroup)")
            }
            let gno = try RemoteHandBack.organisation(organisation, through: connection)
            if let gno, gno.role != .networkOperator {
                throw CLIFailure.badInput("--hand-back is for Network Operators; \(Presentation.safe(gno.id)) is a \(gno.role.label)")
            }
            // As at the DSP, a GNO that is no DCC User any more (ceased already) has nothing to hand back.
            if gno?.dccUser == true {
                let handBack = RemoteHandBack(connection: connection, sender: organisation, certificate: "acb", executeAt: nil, execution: .immediate)
                let plan = try handBack.plan(filter: DeviceFilter(terms: [.networkOperator(organisation)]).expression, limit: nil, keys: keys.directory)
                if let warning = plan.warning { Console.warn(Presentation.safe(warning)) }
                let run = RemoteGroupRun(pending: plan.pending, skipped: plan.skipped, groupSize: groupSize, json: options.json)
                let outcome = try RemoteBulk(handBack: handBack, json: options.json).sendAll(run)
                if outcome.stopped { try run.finish(outcome) }  // exits 130: rerun to resume, then cease
                if !options.json {
                    let tally = outcome.tally
                    let refused = outcome.refused > 0 ? ", \(outcome.refused) refused by the DSP before the device" : ""
                    Console.out("hand-back: \(tally.done) of \(plan.pending.count) sent: \(tally.succeeded) succeeded, \(tally.rejected) rejected\(refused)")
                }
            }
            try LifecycleSubmission.submit(.cease, organisation: organisation, options: options, compactLines: true)
        }
    }

    /// `org revoke ORG`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "The Certificate Revocation Request (FIA Req 5): its certificates are revoked and leave the SMKI Repository.",
            discussion: "Refused (still-dcc-user) until it has ceased, and (certificates-on-devices) while devices hold them. It may not subscribe again.")

        @OptionGroup var options: CommonOptions

        @Argument(help: "The organisation ID.")
        var organisation: String

        func run() throws {
            try LifecycleSubmission.submit(.revoke, organisation: organisation, options: options)
        }
    }
}

/// The CLI's adapter for ``AnchorService/ServiceSession/lifecycle(_:organisation:operatorSubject:)``: open, decide, report;
/// through `--store https://…`, the DSP decides for an operator granted the DCC's actions.
enum LifecycleSubmission {
    /// - Parameter compactLines: print JSON as one line (after a hand-back's JSON lines).
    static func submit(_ action: OrganisationAction, organisation: String, options: CommonOptions, compactLines: Bool = false) throws(CLIFailure) {
        if let connection = try options.operatorAPI() {
            let reply: OperatorLifecycle.Reply = try OperatorCall.json(connection.post(
                OperatorAPIPath.lifecycle, body: OperatorCall.encoded(OperatorLifecycle.Request(action: action, organisation: organisation)),
                contentType: "application/json"), from: connection)
            if let record = reply.record {
                return try report(.committed(record), action: action, organisation: organisation, listFilter: reply.listFilter, options: options,
                                  compactLines: compactLines)
            }
            return try report(.unchanged(reply.unchanged ?? ""), action: action, organisation: organisation, listFilter: nil, options: options,
                              compactLines: compactLines)
        }
        let session = try options.openSession()
        defer { session.close() }
        try decideAndCommit(action, organisation: organisation, session: session, options: options, compactLines: compactLines)
    }

    /// Decides the action, makes it durable and reports it; exit 1 when refused.
    /// - Parameter compactLines: print JSON as one line (after a hand-back's JSON lines).
    static func decideAndCommit(
        _ action: OrganisationAction, organisation: String, session: ServiceSession, options: CommonOptions, compactLines: Bool
    ) throws(CLIFailure) {
        let result: LifecycleResult
        do {
            result = try session.lifecycle(action, organisation: organisation)
        } catch {
            throw CLIFailure(error)
        }
        let filter = session.estate.ledger.organisation(organisation).flatMap { Estate.holdingFilter(for: $0) }
        try report(result, action: action, organisation: organisation, listFilter: filter, options: options, compactLines: compactLines)
    }

    /// Reports what the action came to; exit 1 when refused.
    private static func report(
        _ result: LifecycleResult, action: OrganisationAction, organisation: String, listFilter: String?, options: CommonOptions, compactLines: Bool
    ) throws(CLIFailure) {
        func emit(_ document: JSONValue, _ lines: [String]) {
            if options.json {
                Console.out(compactLines ? document.compact() : document.rendered())
            } else {
                for line in lines { Console.out(line) }
            }
        }
        switch result {
        case .unchanged(let detail):
            emit(LifecyclePresentation.unchanged(action, organisation, detail), ["org \(action.rawValue) \(Presentation.safe(organisation)): nothing to do; \(Presentation.safe(detail))"])
        case .committed(let record):
            emit(LifecyclePresentation.record(record, listFilter: listFilter), LifecyclePresentation.recordLines(record))
            if record.outcome == .rejected {
                throw CLIFailure(exitCode: .rejected, code: record.reason?.rawValue ?? "rejected", message: record.detail)
            }
        }
    }
}
