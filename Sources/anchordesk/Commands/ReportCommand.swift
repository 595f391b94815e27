import AnchorCore
import ArgumentParser

/// `anchordesk report post-commissioning|counter-risk`: compliance and risk reports.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Compliance and counter-risk reports.",
        subcommands: [PostCommissioning.self, CounterRisk.self])

    /// The post-commissioning report (FIA Req 1, 3).
    struct PostCommissioning: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "post-commissioning",
            abstract: "Per commissioned GPF: the 7-day deadline, what its NO cells held then, and a verdict; totals per Supplier.",
            discussion: """
                compliant: the ACB's certificate, or that of a GNO that was a DCC User with a certificate in the SMKI \
                Repository at the deadline. pending: the deadline is after --as-of. non-compliant, with a reason: \
                gno-certificate-at-commissioning, gno-not-dcc-user, gno-certificate-not-in-repository or \
                no-network-operator-certificate. The past is rebuilt from the request and lifecycle logs.
                """)

        @OptionGroup var options: CommonOptions

        @Option(name: .customLong("as-of"), help: "The report date: YYYY-MM-DD (the end of that day, UTC) or YYYY-MM-DDTHH:MM:SSZ (default: now).")
        var asOf: String?

        @Option(help: "table, csv or json.")
        var format: ReportFormat = .table

        func run() throws {
            let asOf = try asOf.map(Self.date) ?? options.now()
            let service = try options.service()
            let safe = Presentation.safe
            /// The report's rows to `each`, through the service (a database's estate is read in parts).
            func rows(_ each: (PostCommissioningReport.Row) -> Void) throws(CLIFailure) -> [PostCommissioningReport.SupplierTotals] {
                do {
                    return try service.postCommissioning(asOf: asOf, warn: Console.warn, each)
                } catch {
                    throw CLIFailure(error)
                }
            }
            // JSON and CSV are written row by row as the report is made; the table needs every
            // row first, for its column widths.
            var output = BufferedOutput()
            defer { output.flush() }
            switch options.json ? .json : format {
            case .json:
                var totals: [PostCommissioningReport.SupplierTotals] = []
                try JSONValue.streamObject(
                    before: [("asOf", .string(asOf.description)), ("deadlineDays", .integer(Int(PostCommissioningReport.deadlineDays)))],
                    arrayKey: "rows",
                    rows: { emit throws(CLIFailure) in
                        totals = try rows { row in
                            emit(.object([
                                ("device", .string(row.device.description)),
                                ("supplier", .string(safe(row.supplier))),
                                ("commissionedAt", .string(row.commissionedAt.description)),
                                ("deadline", .string(row.deadline.description)),
                                ("heldAtDeadline", .optional(row.heldAtDeadline.map(safe))),
                                ("verdict", .string(row.verdict.rawValue)),
                                ("reason", .optional(row.reason?.rawValue)),
                            ]))
                        }
                    },
                    after: {
                        [("totals", .array(totals.map { totals in
                            .object([
                                ("supplier", .string(safe(totals.supplier))),
                                ("compliant", .integer(totals.compliant)),
                                ("pending", .integer(totals.pending)),
                                ("nonCompliant", .integer(totals.nonCompliant)),
                                ("total", .integer(totals.total)),
                            ])
                        }))]
                    }, to: &output)
            case .csv:
                output.line(ReportFormat.csvLine(["device", "supplier", "commissionedAt", "deadline", "heldAtDeadline", "verdict", "reason"]))
                _ = try rows { row in
                    output.line(ReportFormat.csvLine([
                        row.device.description, safe(row.supplier), row.commissionedAt.description, row.deadline.description,
                        row.heldAtDeadline.map(safe) ?? "", row.verdict.rawValue, row.reason?.rawValue ?? "",
                    ]))
                }
            case .table:
                var table = TextTable(headers: ["DEVICE", "SUPPLIER", "COMMISSIONED", "DEADLINE", "NO CELL AT DEADLINE", "VERDICT"])
                let totals = try rows { row in
                    table.rows.append([
                        row.device.description, safe(row.supplier), row.commissionedAt.dateOnly, row.deadline.dateOnly,
                        row.heldAtDeadline.map(safe) ?? "-", row.verdict.rawValue + (row.reason.map { " (\($0.rawValue))" } ?? ""),
                    ])
                }
                var totalsTable = TextTable(headers: ["SUPPLIER", "COMPLIANT", "PENDING", "NON-COMPLIANT", "TOTAL"])
                for supplier in totals {
                    totalsTable.rows.append([safe(supplier.supplier), String(supplier.compliant), String(supplier.pending),
                                             String(supplier.nonCompliant), String(supplier.total)])
                }
                for line in table.lines() + ["", "as of \(asOf)"] + totalsTable.lines() { output.line(line) }
            }
        }

        /// `YYYY-MM-DD` (end of that day) or a full timestamp.
        static func date(_ text: String) throws(CLIFailure) -> Timestamp {
            if let day = Timestamp(iso8601: text + "T23:59:59Z"), text.count == 10 { return day }
            guard let time = Timestamp(iso8601: text) else {
                throw .badInput("--as-of '\(Presentation.safe(text))' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", code: "bad-date")
            }
            return time
        }
    }

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
                certificate is still there.
                """)

        @OptionGroup var options: CommonOptions

        @Option(help: "table, csv or json.")
        var format: ReportFormat = .table

        func run() throws {
            let service = try options.service()
            let safe = Presentation.safe
            /// The report's rows to `each`, through the service (a database's estate is read in parts).
            func rows(_ each: (CounterRiskReport.Row) -> Void) throws(CLIFailure) {
                do {
                    try service.counterRisk(warn: Console.warn, each)
                } catch {
                    throw CLIFailure(error)
                }
            }
            var output = BufferedOutput()
            defer { output.flush() }
            switch options.json ? .json : format {
            case .json:
                var total = 0
                try JSONValue.streamObject(
                    before: [], arrayKey: "rows",
                    rows: { emit throws(CLIFailure) in
                        try rows { row in
                            total += 1
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
                    after: { [("total", .integer(total))] }, to: &output)
            case .csv:
                output.line(ReportFormat.csvLine(["device", "supplier", "recordedCounter", "nextGenerated", "risk", "formerNetworkOperator", "action"]))
                try rows { row in
                    output.line(ReportFormat.csvLine([
                        row.device.description, safe(row.supplier), row.recordedCounter?.description ?? "",
                        row.nextGenerated?.description ?? "", row.risk.rawValue, row.formerNetworkOperator.map(safe) ?? "", safe(row.action),
                    ]))
                }
            case .table:
                var table = TextTable(headers: ["DEVICE", "SUPPLIER", "RECORDED", "NEXT ACB", "RISK", "FORMER GNO", "ACTION"])
                try rows { row in
                    table.rows.append([
                        row.device.description, safe(row.supplier), row.recordedCounter?.description ?? "-",
                        row.nextGenerated?.description ?? "-", row.risk.rawValue, row.formerNetworkOperator.map(safe) ?? "-", safe(row.action),
                    ])
                }
                for line in table.lines() + ["\(table.rows.count) GPFs at risk"] { output.line(line) }
            }
        }
    }
}
