import AnchorCore
import ArgumentParser
import Foundation

/// The `anchordesk` command: the console and every action as a subcommand.
@main
struct AnchorDesk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anchordesk",
        abstract: "Gas Proxy Function Network Operator credentials: SRV6.15.1 hand-backs, SRV6.21 handovers and recorded counters (SECMP0128A).",
        version: AnchorDeskVersion.current,
        subcommands: [
            InitCommand.self, DevicesCommand.self, DeviceCommand.self, CountersCommand.self, OrgsCommand.self,
            RequestCommand.self, RequestsCommand.self, BulkCommand.self, OrgCommand.self, RecoveryCommand.self,
            ReportCommand.self, AlertsCommand.self, AuditCommand.self, StoreCommand.self, GBCSCommand.self, CertCommand.self, ServeCommand.self, DUISCommand.self, OperatorCommand.self, WhoamiCommand.self, TUICommand.self,
        ],
        defaultSubcommand: TUICommand.self
    )

    /// Runs the command and turns every failure into the contract's exit code and one `error:` line.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let wantsJSON = arguments.contains("--json")
        do {
            try CommandNames.check(arguments, root: AnchorDesk.self)
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let failure as CLIFailure {
            report(failure, json: wantsJSON)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Console.out(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
            let failure = CLIFailure.badInput(
                DisplaySafeText.sanitize(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)
                    + " (see 'anchordesk help')", code: "bad-usage")
            report(failure, json: wantsJSON)
        }
    }

    private static func report(_ failure: CLIFailure, json: Bool) -> Never {
        // A rejection has already printed its request document; errors print theirs here.
        if json && !failure.printedItsOwnReport {
            Console.out(JSONValue.object([
                ("error", .object([("code", .string(failure.code)), ("message", .string(failure.message))] + failure.details)),
            ]).rendered())
        }
        if !failure.printedItsOwnReport { Console.error(failure.message) }
        Foundation.exit(failure.exitCode.rawValue)
    }
}
