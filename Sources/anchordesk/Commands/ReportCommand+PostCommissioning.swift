import AnchorCore
import AnchorService
import ArgumentParser

extension ReportCommand {
    /// The post-commissioning report (FIA Req 1, 3).
    struct PostCommissioning: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "post-commissioning",
            abstract: "Per commissioned GPF: the 7-day deadline, what its NO cells held then, and a verdict; totals per Supplier.",
            discussion: """
                compliant: the ACB's certificate, or that of a GNO that was a DCC User with a certificate in the SMKI \
                Repository at the deadline. pending: the deadline is after --as-of. non-compliant, with a reason: \
                gno-certificate-at-commissioning, gno-not-dcc-user, gno-certificate-not-in-repository or \
                no-network-operator-certificate. The past is rebuilt from the request and lifecycle logs. \
                --verdict, --reason and --org keep only the rows they name (all of them, when given together); \
                the totals and the summary count the rows kept.
                """)

        @OptionGroup var options: CommonOptions

        @Option(name: .customLong("as-of"), help: "The report date: YYYY-MM-DD (the end of that day, UTC) or YYYY-MM-DDTHH:MM:SSZ (default: now).")
        var asOf: String?

        @Option(help: "table, csv or json.")
        var format: ReportFormat = .table

        @Option(help: "Only rows with this verdict.")
        var verdict: PostCommissioningReport.Verdict?

        @Option(help: "Only non-compliant rows with this reason.")
        var reason: PostCommissioningReport.NonCompliance?

        @Option(name: .customLong("org"), help: ArgumentHelp(
            "Only rows whose Supplier, or the organisation whose certificate the NO cell held at the deadline, is ORG.",
            valueName: "org"))
        var organisation: String?

        @Option(help: "Row order: device ID, Supplier, earliest deadline, or verdict (non-compliant first).")
        var sort: PostCommissioningReport.Order = .device

        func validate() throws {
            if let reason, let verdict, verdict != .nonCompliant {
                throw ValidationError("--reason \(reason.rawValue) keeps non-compliant rows only, and --verdict \(verdict.rawValue) none of those")
            }
        }

        func run() throws {
            let asOf = try asOf.map(Self.date) ?? options.now()
            let safe = Presentation.safe
            let filter = PostCommissioningReport.Filter(verdict: verdict, reason: reason, organisation: organisation)
            /// The kept rows, through the service (a database's estate is read in parts), or read by the DSP.
            let report: ((PostCommissioningReport.Row) -> Void) throws(CLIFailure) -> PostCommissioningReport.Totals
            if let remote = try options.operatorAPI() {
                report = { each throws(CLIFailure) in try RemoteReports.postCommissioning(asOf: asOf, filter, through: remote, each) }
            } else {
                let service = try options.service()
                report = { each throws(CLIFailure) in
                    do throws(ServiceError) {
                        return try service.postCommissioning(asOf: asOf, filter: filter, warn: Console.warn, each)
                    } catch {
                        throw CLIFailure(error)
                    }
                }
            }
            let sortKey: PostCommissioningReport.Order = sort
            let order: ((PostCommissioningReport.Row, PostCommissioningReport.Row) -> Bool)? = sortKey == .device ? nil : { sortKey.areInIncreasingOrder($0, $1) }
            /// The kept rows to `each`, in `--sort`'s order.
            func rows(_ each: (PostCommissioningReport.Row) -> Void) throws(CLIFailure) -> PostCommissioningReport.Totals {
                try ReportCommand.rows(in: order, from: report, each)
            }
            // JSON and CSV are written row by row as the report is made (unless --sort holds
            // them); the table needs every row first, for its column widths.
            var output = BufferedOutput()
            defer { output.flush() }
            switch options.json ? .json : format {
            case .json:
                var totals = PostCommissioningReport.Totals()
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
                        [("totals", .array(totals.bySupplier.map { totals in
                            .object([
                                ("supplier", .string(safe(totals.supplier))),
                                ("compliant", .integer(totals.compliant)),
                                ("pending", .integer(totals.pending)),
                                ("nonCompliant", .integer(totals.nonCompliant)),
                                ("total", .integer(totals.total)),
                            ])
                        })), ("summary", Self.summaryJSON(totals))]
                    }, to: &output)
            case .csv:
                var header = CSVHeader(["device", "supplier", "commissionedAt", "deadline", "heldAtDeadline", "verdict", "reason"])
                let totals = try rows { row in
                    header.write(to: &output)
                    output.csvLine { line in
                        line.field(row.device)
                        line.field(safe(row.supplier))
                        line.field(row.commissionedAt)
                        line.field(row.deadline)
                        line.field(row.heldAtDeadline.map(safe) ?? "")
                        line.field(row.verdict.rawValue)
                        line.field(row.reason?.rawValue ?? "")
                    }
                }
                header.write(to: &output)
                for line in Self.summary(totals, asOf: asOf) { Console.note(line) }
            case .table:
                var table = TextTable(headers: ["DEVICE", "SUPPLIER", "COMMISSIONED", "DEADLINE", "NO CELL AT DEADLINE", "VERDICT"])
                let totals = try rows { row in
                    table.rows.append([
                        row.device.description, safe(row.supplier), row.commissionedAt.dateOnly, row.deadline.dateOnly,
                        row.heldAtDeadline.map(safe) ?? "-", row.verdict.rawValue + (row.reason.map { " (\($0.rawValue))" } ?? ""),
                    ])
                }
                ReportCommand.write(table, dropOrder: ["COMMISSIONED", "NO CELL AT DEADLINE", "SUPPLIER", "DEADLINE"], to: &output)
                var totalsTable = TextTable(headers: ["SUPPLIER", "COMPLIANT", "PENDING", "NON-COMPLIANT", "TOTAL"])
                for supplier in totals.bySupplier {
                    totalsTable.rows.append([safe(supplier.supplier), String(supplier.compliant), String(supplier.pending),
                                             String(supplier.nonCompliant), String(supplier.total)])
                }
                for line in [""] + Self.summary(totals, asOf: asOf) + [""] + totalsTable.lines() { output.line(line) }
            }
        }

        /// The summary: how many rows of each verdict, and the non-compliant ones' reasons.
        static func summary(_ totals: PostCommissioningReport.Totals, asOf: Timestamp) -> [String] {
            let verdicts = PostCommissioningReport.Verdict.allCases.map { "\(totals.byVerdict[$0] ?? 0) \($0.rawValue)" }
            let reasons = PostCommissioningReport.NonCompliance.allCases.compactMap { reason in
                totals.byReason[reason].map { "\($0) \(reason.rawValue)" }
            }
            return ["\(totals.total) GPFs as of \(asOf): " + verdicts.joined(separator: ", ")]
                + (reasons.isEmpty ? [] : ["non-compliant: " + reasons.joined(separator: ", ")])
        }

        /// The summary in the JSON document: the rows kept, per verdict, and per reason (every reason, 0 included).
        static func summaryJSON(_ totals: PostCommissioningReport.Totals) -> JSONValue {
            .object([
                ("total", .integer(totals.total)),
                ("compliant", .integer(totals.byVerdict[.compliant] ?? 0)),
                ("pending", .integer(totals.byVerdict[.pending] ?? 0)),
                ("nonCompliant", .integer(totals.byVerdict[.nonCompliant] ?? 0)),
                ("reasons", .object(PostCommissioningReport.NonCompliance.allCases.map { ($0.rawValue, .integer(totals.byReason[$0] ?? 0)) })),
            ])
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
}
