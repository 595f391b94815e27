import AnchorCore
import AnchorService
import Foundation

extension DUISService {
    /// The counter-risk report's rows, read as `anchordesk report counter-risk` reads them (a
    /// database in parts), on the reports' thread: a report does not hold up requests.
    func counterRiskRows() async -> Result<[CounterRiskReport.Row], OperatorFailure> {
        await reporting("counter-risk") { service, rows throws(ServiceError) in
            _ = try service.counterRisk(warn: { _ in }) { rows.append($0) }
        }
    }

    /// The post-commissioning report's rows as of `asOf`, read the same way.
    func postCommissioningRows(asOf: Timestamp) async -> Result<[PostCommissioningReport.Row], OperatorFailure> {
        await reporting("post-commissioning") { service, rows throws(ServiceError) in
            _ = try service.postCommissioning(asOf: asOf, warn: { _ in }) { rows.append($0) }
        }
    }

    /// One report at a time, off the deciding queue: many asked at once wait their turn rather
    /// than each read the whole store at once. A report of more than
    /// ``DUISServiceConfiguration/operatorReportRows`` rows is refused (503) once read, its rows
    /// past the limit never kept.
    private func reporting<Row: Sendable>(
        _ name: String, _ read: @escaping @Sendable (EstateService, inout ReportRows<Row>) throws(ServiceError) -> Void
    ) async -> Result<[Row], OperatorFailure> {
        let service = configuration.service
        let limit = configuration.operatorReportRows
        return await withCheckedContinuation { continuation in
            Self.reports.async {
                var rows = ReportRows<Row>(limit: limit)
                do throws(ServiceError) {
                    try read(service, &rows)
                } catch {
                    return continuation.resume(returning: .failure(.unavailable(error.description)))
                }
                guard !rows.overflowed else {
                    return continuation.resume(returning: .failure(.unavailable(
                        "the \(name) report has more than \(limit) rows, more than the operator API sends; run 'anchordesk report \(name)' at the DSP")))
                }
                continuation.resume(returning: .success(rows.rows))
            }
        }
    }

    /// Where operator API reports are read, one at a time.
    private static let reports = DispatchQueue(label: "anchordesk.operator.reports", qos: .utility)
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
