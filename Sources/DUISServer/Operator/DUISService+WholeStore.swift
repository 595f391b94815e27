import AnchorCore
import AnchorStore
import Foundation

extension DUISService {
    /// The audit check, as `anchordesk audit verify` makes it at the DSP (over a fresh copy of a
    /// database's records), on the reports' thread. A broken chain is an answer, not a failure.
    func auditCheck() async -> Result<OperatorReplies.Audit, OperatorFailure> {
        let store = configuration.service.store
        return await onReportsQueue {
            do {
                return .success(OperatorReplies.Audit(report: try store.withStoreFiles(AuditVerifier.verify(directory:))))
            } catch let failure as AuditFailure {
                return .success(OperatorReplies.Audit(broken: failure))
            } catch {
                return .failure(.unavailable("the DSP could not check the audit trail: \(error)"))
            }
        }
    }

    /// The whole request log, oldest first, read as `anchordesk requests` reads it at the DSP; a
    /// log of more than ``DUISServiceConfiguration/operatorReportRows`` requests is refused (503).
    func requestLog() async -> Result<[RequestRecord], OperatorFailure> {
        await fromTheLedger("the request log", count: { $0.requests.count }, read: { Array($0.requests) }) { limit in
            "the request log holds more than \(limit) requests, more than the operator API sends; run 'anchordesk requests' at the DSP, or ask for one device's (--device ID)"
        }
    }

    /// The schedule log and the alerts that arrived, read as `anchordesk alerts` reads them at the
    /// DSP; more than ``DUISServiceConfiguration/operatorReportRows`` records in all is refused (503).
    func scheduleLog() async -> Result<OperatorReplies.Schedule, OperatorFailure> {
        await fromTheLedger("the schedule log", count: { $0.schedule.count + $0.alerts.count },
                            read: { OperatorReplies.Schedule(schedule: $0.schedule, alerts: $0.alerts) }) { limit in
            "the schedule log and alerts hold more than \(limit) records, more than the operator API sends; run 'anchordesk alerts' at the DSP"
        }
    }

    /// Part of the store's ledger, read on the reports' thread from the store opened read-only,
    /// unless `count` says it holds more than ``DUISServiceConfiguration/operatorReportRows``
    /// records (503, saying `tooLarge` of that limit).
    private func fromTheLedger<Value: Sendable>(
        _ what: String, count: @escaping @Sendable (Ledger) -> Int, read: @escaping @Sendable (Ledger) -> Value,
        tooLarge: @escaping @Sendable (Int) -> String
    ) async -> Result<Value, OperatorFailure> {
        let store = configuration.service.store
        let limit = configuration.operatorReportRows
        return await onReportsQueue {
            do {
                let value = try store.withStoreFiles { directory in
                    let opened = try Store.open(at: directory, access: .readOnly)
                    defer { opened.close() }
                    let ledger = opened.estate.ledger
                    return count(ledger) > limit ? nil : read(ledger)
                }
                guard let value else { return .failure(.unavailable(tooLarge(limit))) }
                return .success(value)
            } catch {
                return .failure(.unavailable("the DSP could not read \(what): \(error)"))
            }
        }
    }
}
