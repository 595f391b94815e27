import AnchorCore
import AnchorService
import Foundation

extension DUISService {
    /// The counter-risk report's rows, read as `anchordesk report counter-risk` reads them (a
    /// database in parts), on a thread of its own: a report does not hold up requests.
    func counterRiskRows() async -> Result<[CounterRiskReport.Row], OperatorFailure> {
        await reporting { service throws(ServiceError) in
            var rows: [CounterRiskReport.Row] = []
            _ = try service.counterRisk(warn: { _ in }) { rows.append($0) }
            return rows
        }
    }

    /// The post-commissioning report's rows as of `asOf`, read the same way.
    func postCommissioningRows(asOf: Timestamp) async -> Result<[PostCommissioningReport.Row], OperatorFailure> {
        await reporting { service throws(ServiceError) in
            var rows: [PostCommissioningReport.Row] = []
            _ = try service.postCommissioning(asOf: asOf, warn: { _ in }) { rows.append($0) }
            return rows
        }
    }

    private func reporting<Value: Sendable>(
        _ read: @escaping @Sendable (EstateService) throws(ServiceError) -> Value
    ) async -> Result<Value, OperatorFailure> {
        let service = configuration.service
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                do throws(ServiceError) {
                    continuation.resume(returning: .success(try read(service)))
                } catch {
                    continuation.resume(returning: .failure(.unavailable(error.description)))
                }
            }
        }
    }
}
