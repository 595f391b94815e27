import AnchorCore

/// The rows of the reports and the request log as their tables show them: the text of each
/// cell (which `/` searches and `s`, `S`, `1`-`N` sort), which rows are problems (`n`, `N`),
/// and which rows the operator's query shows.
extension AppState {
    // MARK: Reports

    /// The report's column titles.
    public static func reportTitles(_ kind: ReportKind) -> [String] {
        switch kind {
        case .postCommissioning: ["DEVICE", "SUPPLIER", "COMMISS.", "NO AT +7 DAYS", "VERDICT"]
        case .counterRisk: ["DEVICE", "RECORDED", "RISK", "FORMER GNO"]
        }
    }

    /// A report row's cells, as text.
    static func reportCells(_ report: ReportSnapshot, row: Int) -> [String] {
        if let rows = report.postCommissioning?.rows {
            let line = rows[row]
            let verdict = switch line.verdict {
            case .compliant: "compliant"
            case .pending: "pending"
            case .nonCompliant: "non-compliant " + (line.reason?.rawValue ?? "")
            }
            return [line.device.description, line.supplier, line.commissionedAt.dateOnly, line.heldAtDeadline ?? "-", verdict]
        }
        guard let line = report.counterRisk?.rows[row] else { return [] }
        return [line.device.description, line.recordedCounter?.description ?? "-", line.risk.rawValue, line.formerNetworkOperator ?? "-"]
    }

    /// A report row that needs action: a non-compliant GPF; a GPF with no recorded counter.
    static func reportRowIsProblem(_ report: ReportSnapshot, row: Int) -> Bool {
        if let rows = report.postCommissioning?.rows { return rows[row].verdict == .nonCompliant }
        return report.counterRisk?.rows[row].risk == .noRecordedCounter
    }

    /// What `n` looks for in a report.
    static func reportProblemName(_ kind: ReportKind) -> String {
        kind == .postCommissioning ? "non-compliant" : "no-recorded-counter"
    }

    /// The report's rows shown, filtered and sorted.
    public var reportRows: RowOrder {
        guard let report else { return .all(0) }
        return reportsQuery.order(count: report.rowCount) { Self.reportCells(report, row: $0) }
    }

    /// The device on the selected row of the report.
    public var selectedReportDevice: EUI64? {
        guard let report, let row = reportRows[reportsCursor.selected] else { return nil }
        return report.postCommissioning?.rows[row].device ?? report.counterRisk?.rows[row].device
    }

    // MARK: Request log

    /// The request log's column titles.
    public static let requestTitles = ["WHEN", "SRV", "DEVICE", "REQUESTER", "OUTCOME"]

    /// A request's cells, as text.
    static func requestCells(_ record: RequestRecord) -> [String] {
        [CounterPage.when(record.at), record.service.rawValue, record.device.description, record.requester,
         record.outcome != .rejected ? record.outcome.rawValue : record.reason?.rawValue ?? "rejected"]
    }

    /// How many requests the log holds (all of them, or one device's), before the query.
    var requestLogCount: Int {
        guard let estate else { return 0 }
        if case .requests(let device?) = screen { return estate.ledger.requests(for: device).count }
        return estate.ledger.requests.count
    }

    /// The request log's rows shown (positions newest first), filtered and sorted.
    public var requestRows: RowOrder {
        requestsQuery.order(count: requestLogCount) { row in requestRecord(newestFirst: row).map(Self.requestCells) ?? [] }
    }

    /// The request on a row of the request log as shown.
    public func requestRecord(at position: Int) -> RequestRecord? {
        requestRows[position].flatMap { requestRecord(newestFirst: $0) }
    }

    /// Row `row` of the request log, newest first, before the query.
    func requestRecord(newestFirst row: Int) -> RequestRecord? {
        guard let estate else { return nil }
        if case .requests(let device?) = screen {
            return Self.newestFirst(estate.ledger.requests(for: device), row: row)
        }
        return Self.newestFirst(estate.ledger.requests, row: row)
    }

    /// Row `row` of a log shown newest first.
    private static func newestFirst<Log: RandomAccessCollection<RequestRecord>>(_ log: Log, row: Int) -> RequestRecord? where Log.Index == Int {
        guard row >= 0, row < log.count else { return nil }
        return log[log.startIndex + log.count - 1 - row]
    }
}
