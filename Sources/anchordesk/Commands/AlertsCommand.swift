import AnchorCore
import AnchorService
import AnchorStore
import ArgumentParser
import DUISServer
import Foundation
import GBCS

/// `anchordesk alerts`: device alerts for future-dated commands, what is still pending, and
/// processing what is due.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Future-dated commands: the alerts that arrived, what is pending, and processing what is due.",
        subcommands: [List.self, Pending.self, Process.self], defaultSubcommand: List.self)

    /// The ledger whose schedule log and alerts `list` and `pending` read: the store's, or the
    /// DSP's through its operator API (`GET …/schedule`).
    static func scheduleLedger(_ options: CommonOptions) throws(CLIFailure) -> Ledger {
        if let connection = try options.operatorAPI() {
            let logs: OperatorReplies.Schedule = try OperatorCall.json(connection.get(OperatorAPIPath.schedule), from: connection)
            return logs.ledger
        }
        return try options.openForReading().estate.ledger
    }

    /// Every alert that arrived, oldest first, with what processing it concluded.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Show the alerts that arrived, oldest first, and what each was processed as.")

        @OptionGroup var options: CommonOptions

        func run() throws {
            let ledger = try AlertsCommand.scheduleLedger(options)
            var outcomes: [String: ScheduleRecord] = [:]
            for record in ledger.schedule { if let alert = record.alert { outcomes[alert] = record } }
            let rows = ledger.alerts.map { ($0, outcomes[$0.key]) }
            options.emit(.object([("alerts", .array(rows.map { alert, outcome in
                .object([
                    ("alert", .string(alert.key)),
                    ("device", .string(alert.device.description)),
                    ("alertCounter", .string(alert.alertCounter.description)),
                    ("receivedAt", .string(alert.receivedAt.description)),
                    ("bytes", .string(Hex.string(alert.bytes))),
                    ("processed", outcome.map(Presentation.schedule) ?? .null),
                ])
            }))]), human: {
                var table = TextTable(headers: ["RECEIVED", "DEVICE", "ALERT", "EVENT", "REQUEST", "RECORDED"])
                for (alert, outcome) in rows {
                    table.rows.append([
                        alert.receivedAt.description, alert.device.description, alert.alertCounter.description,
                        outcome?.event.rawValue ?? "waiting", outcome.map { Presentation.safe($0.requestId) } ?? "",
                        outcome?.recordedCounter?.description ?? "",
                    ])
                }
                return rows.isEmpty ? ["no alerts yet"] : table.lines()
            })
        }
    }

    /// Every future-dated command a device has acknowledged and not yet reported on.
    struct Pending: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pending", abstract: "Show every pending future-dated command, soonest due first.")

        @OptionGroup var options: CommonOptions

        func run() throws {
            let pending = try AlertsCommand.scheduleLedger(options).pendingCommands
            options.emit(.object([("pending", .array(pending.map(Presentation.schedule)))]), human: {
                var table = TextTable(headers: ["DUE", "DEVICE", "SENDER", "COUNTER", "HAND-BACK", "REQUEST"])
                for record in pending {
                    table.rows.append([
                        record.dueAt.description, record.device.description, Presentation.safe(record.sender),
                        record.counter.description, record.handBack ? "yes" : "no", Presentation.safe(record.requestId),
                    ])
                }
                return pending.isEmpty ? ["nothing pending"] : table.lines()
            })
        }
    }

    /// Lets the devices' clocks reach now and processes their alerts.
    struct Process: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "process",
            abstract: "Let the devices' clocks reach now ($ANCHORDESK_NOW or the clock): due commands execute and their alerts are processed once.",
            discussion: """
                Every command that opens the store for writing does this first; this command does only that. Arrivals are \
                made durable before any is processed, so an interrupted run leaves alerts waiting, and the next run processes \
                each of them once. With --json: a line {"arrived":N} once the arrivals are on disk (0 when nothing was due), \
                then one line per processed alert, each group once it is on disk.
                """)

        @OptionGroup var options: CommonOptions

        @OptionGroup var keys: KeyOptions

        func run() throws {
            let session = try options.openSession(keys: keys.directory, processingAlerts: false)
            defer { session.close() }
            // With --json each line is printed only once what it says is on disk; on a terminal,
            // a progress bar over the alerts to process.
            var progress: ProgressLine?
            var done = 0
            let report: AlertDeliveryReport
            do {
                report = try session.deliverDueAlerts(arrived: { arrived in
                    if options.json { Console.out(JSONValue.object([("arrived", .integer(arrived))]).compact()) }
                    let waiting = session.estate.ledger.unprocessedAlerts.count
                    if waiting > 0, isatty(STDERR_FILENO) == 1 { progress = ProgressLine(total: waiting) }
                }, processed: { group in
                    if options.json { for record in group { Console.out(Presentation.schedule(record).compact()) } }
                    done += group.count
                    progress?.update(done: done)
                })
            } catch {
                throw CLIFailure(error)
            }
            progress?.finish()
            if !options.json {
                Console.out(report.isEmpty ? "nothing due" : report.summary)
                for record in report.processed.prefix(20) {
                    Console.out("  \(record.device)  \(record.event.rawValue)  \(Presentation.safe(record.detail))")
                }
                if report.processed.count > 20 { Console.out("  … and \(report.processed.count - 20) more ('anchordesk alerts' lists them)") }
            }
        }
    }
}
