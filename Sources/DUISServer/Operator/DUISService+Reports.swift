import AnchorCore
import AnchorService
import Foundation

extension DUISService {
    /// The counter-risk report's rows that `filter` keeps, read as `anchordesk report
    /// counter-risk` reads them (a database in parts), on the reports' thread: a report does not
    /// hold up requests.
    func counterRiskRows(_ filter: CounterRiskReport.Filter) async -> Result<OperatorReplies.Rows<CounterRiskReport.Row>, OperatorFailure> {
        await reporting("counter-risk") { service, rows throws(ServiceError) in
            try service.counterRisk(filter: filter, warn: { _ in }) { rows.append($0) }.nextGenerated
        }.map { OperatorReplies.Rows(rows: $0.rows, nextGenerated: $0.result) }
    }

    /// The post-commissioning report's rows as of `asOf` that `filter` keeps, read the same way.
    func postCommissioningRows(asOf: Timestamp, _ filter: PostCommissioningReport.Filter) async
        -> Result<OperatorReplies.Rows<PostCommissioningReport.Row>, OperatorFailure>
    {
        await reporting("post-commissioning") { service, rows throws(ServiceError) in
            try service.postCommissioning(asOf: asOf, filter: filter, warn: { _ in }) { rows.append($0) }
        }.map { OperatorReplies.Rows(rows: $0.rows) }
    }

    /// One report at a time, off the deciding queue: many asked at once wait their turn rather
    /// than each read the whole store at once. A report of more than
    /// ``DUISServiceConfiguration/operatorReportRows`` rows is refused (503) once read, its rows
    /// past the limit never kept.
    private func reporting<Row: Sendable, Summary: Sendable>(
        _ name: String, _ read: @escaping @Sendable (EstateService, inout ReportRows<Row>) throws(ServiceError) -> Summary
    ) async -> Result<(rows: [Row], result: Summary), OperatorFailure> {
        let service = configuration.service
        let limit = configuration.operatorReportRows
        return await onReportsQueue {
            var rows = ReportRows<Row>(limit: limit)
            let result: Summary
            do throws(ServiceError) {
                result = try read(service, &rows)
            } catch {
                if case .request(let refusal) = error { return .failure(.invalid(refusal)) }
                return .failure(.unavailable(error.description))
            }
            guard !rows.overflowed else {
                return .failure(.unavailable(
                    "the \(name) report has more than \(limit) rows, more than the operator API sends; run 'anchordesk report \(name)' at the DSP"))
            }
            return .success((rows.rows, result))
        }
    }

    /// Work that reads the whole store (a report, the audit check, the request log), one at a
    /// time on the reports' thread: many asked at once wait their turn, and requests are not held up.
    func onReportsQueue<Value: Sendable>(_ work: @escaping @Sendable () -> Result<Value, OperatorFailure>) async -> Result<Value, OperatorFailure> {
        await withCheckedContinuation { continuation in
            Self.reportsQueue.async { continuation.resume(returning: work()) }
        }
    }

    /// Where operator API reports are read, one at a time.
    private static let reportsQueue = DispatchQueue(label: "anchordesk.operator.reports", qos: .utility)
}

/// A report's rows up to a limit: past it, only that there were more.
struct ReportRows<Row> {
    let limit: Int
    private(set) var rows: [Row] = []
    private(set) var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    mutating func append(_ row: Row) {
        guard rows.count < limit else { return overflowed = true }
        rows.append(row)
    }
}
