import AnchorCore
import AnchorService
import AnchorStore
import DUIS
import Foundation

extension DUISService {
    /// An organisation's subscribe, cease or revoke for an operator granted the DCC's actions:
    /// decided and made durable as `anchordesk org` does at the DSP, its record naming the operator.
    func lifecycle(_ asked: OperatorLifecycle.Request, grant: OperatorGrants.Grant) async -> Result<OperatorLifecycle.Reply, OperatorFailure> {
        let result: Result<OperatorLifecycle.Reply, OperatorFailure> = await onDecidingQueue { duis in
            try grant.requireDCC(for: "org \(asked.action.rawValue)")
            let session = duis.session
            defer { session.release() }
            try session.deliverDueAlerts()
            switch try session.lifecycle(asked.action, organisation: asked.organisation, operatorSubject: grant.subject) {
            case .unchanged(let detail):
                return OperatorLifecycle.Reply(unchanged: detail)
            case .committed(let record):
                let filter = session.estate.ledger.organisation(record.organisation).flatMap(Estate.holdingFilter(for:))
                return OperatorLifecycle.Reply(record: record, listFilter: filter)
            }
        }
        if case .success(let reply) = result {
            let outcome = reply.record.map { $0.outcome == .succeeded ? "succeeded" : "rejected (\($0.reason?.rawValue ?? "-"))" } ?? "unchanged"
            log(DUISLogEntry(time: configuration.date(), note: "\(OperatorAPIPath.lifecycle) org \(asked.action.rawValue) \(DUISRequest.shown(asked.organisation)): \(outcome)",
                             operatorSubject: grant.subject))
        }
        return result
    }
}
