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
        let store = configuration.service.store
        let limit = configuration.operatorReportRows
        return await onReportsQueue {
            do {
                let requests = try store.withStoreFiles { directory in
                    let opened = try Store.open(at: directory, access: .readOnly)
                    defer { opened.close() }
                    let log = opened.estate.ledger.requests
                    return log.count > limit ? nil : Array(log)
                }
                guard let requests else {
                    return .failure(.unavailable(
                        "the request log holds more than \(limit) requests, more than the operator API sends; run 'anchordesk requests' at the DSP, or ask for one device's (--device ID)"))
                }
                return .success(requests)
            } catch {
                return .failure(.unavailable("the DSP could not read the request log: \(error)"))
            }
        }
    }

    /// The schedule log and the alerts that arrived, read as `anchordesk alerts` reads them at the
    /// DSP; more than ``DUISServiceConfiguration/operatorReportRows`` records in all is refused (503).
    func scheduleLog() async -> Result<OperatorReplies.Schedule, OperatorFailure> {
        let store = configuration.service.store
        let limit = configuration.operatorReportRows
        return await onReportsQueue {
            do {
                let logs = try store.withStoreFiles { directory in
                    let opened = try Store.open(at: directory, access: .readOnly)
                    defer { opened.close() }
                    let ledger = opened.estate.ledger
                    return ledger.schedule.count + ledger.alerts.count > limit ? nil
                        : OperatorReplies.Schedule(schedule: ledger.schedule, alerts: ledger.alerts)
                }
                guard let logs else {
                    return .failure(.unavailable(
                        "the schedule log and alerts hold more than \(limit) records, more than the operator API sends; run 'anchordesk alerts' at the DSP"))
                }
                return .success(logs)
            } catch {
                return .failure(.unavailable("the DSP could not read the schedule log: \(error)"))
            }
        }
    }
}
