import AnchorCore
import AnchorService
import ArgumentParser

extension ReportCommand {
    /// GPFs with the ACB in their NO cells where a later SRV6.21 is at risk.
    struct CounterRisk: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "counter-risk",
            abstract: "GPFs whose next SRV6.21 is at risk, or whose hand-back is scheduled or failed, with the suggested action.",
            discussion: """
                recorded-above-generated: the recorded counter is at or above the ACB's next generated counter, so \
                SRV6.21 works only with the recorded-counter rule. no-recorded-counter: the NO floor is unknown \
                (handed back before SECMP0128A, or never held by a GNO). scheduled-hand-back: a future-dated \
                hand-back the device holds; nothing is recorded and SRV6.21 waits until its alert arrives. \
                failed-hand-back: the device's alert said the scheduled hand-back failed (0x8F67); the GNO's \
                certificate is still there. --reason and --org keep only the rows they name (both, when given \
                together); the summary counts the rows kept.
                """)

        @OptionGroup var options: CommonOptions

        @Option(help: "table, csv or json.")
        var format: ReportFormat = .table

        @Option(help: "Only rows with this kind of risk.")
        var reason: CounterRiskReport.Risk?

        @Option(name: .customLong("org"), help: ArgumentHelp(
            "Only rows whose Supplier, or former Network Operator (FORMER GNO), is ORG.", valueName: "org"))
        var organisation: String?

        @Option(help: "Row order: device ID, Supplier, kind of risk, or highest recorded counter first.")
        var sort: CounterRiskReport.Order = .device

        func run() throws {
            let safe = Presentation.safe
            let filter = CounterRiskReport.Filter(risk: reason, organisation: organisation)
            /// The kept rows, through the service (a database's estate is read in parts), or read by the DSP.
            let report: ((CounterRiskReport.Row) -> Void) throws(CLIFailure) -> CounterRiskReport.Summary
            if let remote = try options.operatorAPI() {
                report = { each throws(CLIFailure) in try RemoteReports.counterRisk(filter, through: remote, each) }
            } else {
                let service = try options.service()
                report = { each throws(CLIFailure) in
                    do throws(ServiceError) {
                        return try service.counterRisk(filter: filter, warn: Console.warn, each)
                    } catch {
                        throw CLIFailure(error)
                    }
                }
            }
            let sortKey: CounterRiskReport.Order = sort
            let order: ((CounterRiskReport.Row, CounterRiskReport.Row) -> Bool)? = sortKey == .device ? nil : { sortKey.areInIncreasingOrder($0, $1) }
            /// The kept rows to `each`, in `--sort`'s order.
            func rows(_ each: (CounterRiskReport.Row) -> Void) throws(CLIFailure) -> CounterRiskReport.Summary {
                try ReportCommand.rows(in: order, from: report, each)
            }
            var output = BufferedOutput()
            defer { output.flush() }
            switch options.json ? .json : format {
            case .json:
                var summary = CounterRiskReport.Summary()
                try JSONValue.streamObject(
                    before: [], arrayKey: "rows",
                    rows: { emit throws(CLIFailure) in
                        summary = try rows { row in
                            emit(.object([
                                ("device", .string(row.device.description)),
                                ("supplier", .string(safe(row.supplier))),
                                ("recordedCounter", .optional(row.recordedCounter)),
                                ("nextGenerated", .optional(row.nextGenerated)),
                                ("risk", .string(row.risk.rawValue)),
                                ("formerNetworkOperator", .optional(row.formerNetworkOperator.map(safe))),
                                ("action", .string(safe(row.action))),
                            ]))
                        }
                    },
                    after: {
                        [("total", .integer(summary.total)),
                         ("risks", .object(CounterRiskReport.Risk.allCases.map { ($0.rawValue, .integer(summary.byRisk[$0] ?? 0)) })),
                         ("nextGenerated", .optional(summary.nextGenerated))]
                    }, to: &output)
            case .csv:
                var header = CSVHeader(["device", "supplier", "recordedCounter", "nextGenerated", "risk", "formerNetworkOperator", "action"])
                let summary = try rows { row in
                    header.write(to: &output)
                    output.csvLine { line in
                        line.field(row.device)
                        line.field(safe(row.supplier))
                        line.field(row.recordedCounter?.description ?? "")
                        line.field(row.nextGenerated?.description ?? "")
                        line.field(row.risk.rawValue)
                        line.field(row.formerNetworkOperator.map(safe) ?? "")
                        if row.advisesAsUnlogged, let unlogged = Self.unloggedAdvice {
                            line.field(unlogged, row.device)
                        } else {
                            line.field(safe(row.action))
                        }
                    }
                }
                header.write(to: &output)
                Console.note(Self.summary(summary))
            case .table:
                var table = TextTable(headers: ["DEVICE", "SUPPLIER", "RECORDED", "RISK", "FORMER GNO", "ACTION"])
                var notes = ActionNotes()
                let summary = try rows { row in
                    table.rows.append([
                        row.device.description, safe(row.supplier), row.recordedCounter?.description ?? "-",
                        row.risk.rawValue, row.formerNetworkOperator.map(safe) ?? "-", notes.key(for: safe(row.action), device: row.device),
                    ])
                }
                ReportCommand.write(table, dropOrder: ["FORMER GNO", "RECORDED", "SUPPLIER"], to: &output)
                for line in notes.lines + ["", Self.summary(summary)] { output.line(line) }
            }
        }

        /// The action of a GPF no log mentions, as a CSV field: the same for millions of rows but for the ID.
        static let unloggedAdvice = CSVFieldAroundDevice { CounterRiskReport.unloggedAction(device: $0) }

        /// The summary line: how many rows of each kind of risk, and the ACB's next generated counter.
        static func summary(_ summary: CounterRiskReport.Summary) -> String {
            let risks = CounterRiskReport.Risk.allCases.compactMap { risk in summary.byRisk[risk].map { "\($0) \(risk.rawValue)" } }
            let next = summary.nextGenerated.map { "the ACB's next generated counter is \($0)" } ?? "the ACB has no next generated counter"
            return "\(summary.total) GPFs at risk" + (risks.isEmpty ? "" : ": " + risks.joined(separator: ", ")) + "; " + next
        }
    }

    /// The counter-risk table's actions, each printed once below it: a row shows the key of its
    /// action, with its own device ID written `DEVICE`, so the same advice for 92 devices is one note.
    struct ActionNotes {
        private var texts: [String] = []
        private var keys: [String: Int] = [:]

        /// The key (`[1]`, `[2]`…) of a row's action, numbered in the order first met.
        mutating func key(for action: String, device: EUI64) -> String {
            let general = action.replacingOccurrences(of: device.description, with: "DEVICE")
            if let key = keys[general] { return "[\(key)]" }
            texts.append(general)
            keys[general] = texts.count
            return "[\(texts.count)]"
        }

        /// The notes under the table, or none when it has no rows.
        var lines: [String] {
            guard !texts.isEmpty else { return [] }
            return ["", "ACTION (DEVICE is the row's device ID):"] + texts.enumerated().map { "[\($0.offset + 1)] \($0.element)" }
        }
    }
}
