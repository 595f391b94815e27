import AnchorCore
import AnchorService
import AnchorStore
import Foundation

extension DUISService {
    /// The devices a Recovery Event would address (``OperatorRecovery``, step 1), as `anchordesk
    /// recovery` plans at the DSP, bounded as a bulk run's plan is.
    func recoveryPlan(_ asked: OperatorRecovery.PlanRequest, grant: OperatorGrants.Grant) async -> Result<OperatorRecovery.Plan, OperatorFailure> {
        let bound = OperatorSelectionBound(bound: configuration.operatorBulkDevices, paging: configuration.estateStore?.paging, atTheDSP: "anchordesk recovery")
        return await onDecidingQueue { duis in
            try OperatorRecovery.requireDCC(grant)
            let ledger = duis.estate.ledger
            let filter = try DeviceFilter(parsing: asked.filter)
            try filter.checkNames(in: ledger)
            try OperatorRecovery.checkJump(asked, in: ledger)
            try bound.checkBefore(filter)
            let selection = try duis.session.selection(filter)
            try bound.check(selection.devices.count)
            let plan = try RecoveryPlan(estate: selection, filter: filter, replacement: asked.replaceWith)
            return OperatorRecovery.Plan(pending: plan.pending, skipped: plan.skipped)
        }
    }

    /// Sends a group of a Recovery Event and makes it durable together, each request naming the
    /// operator (``OperatorRecovery``, step 2).
    func recoverySend(_ asked: OperatorRecovery.SendRequest, grant: OperatorGrants.Grant) async -> Result<OperatorBulk.Sent, OperatorFailure> {
        let result: Result<OperatorBulk.Sent, OperatorFailure> = await onDecidingQueue { duis in
            try OperatorRecovery.requireDCC(grant)
            try OperatorBulk.checkGroup(asked.devices)
            let reason = asked.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else { throw OperatorFailure.badRequest("a Recovery Event needs a reason") }
            let session = duis.session
            defer { session.release() }
            try session.deliverDueAlerts()
            let ledger = session.estate.ledger
            try OperatorRecovery.checkJump(asked.plan, in: ledger)
            let certificates = try ledger.resolveCertificates(asked.plan.replaceWith)
            let floor = asked.plan.newFloor
            var records: [RequestRecord] = []
            let outcome = try session.bulk(
                asked.devices, signer: nil, groupSize: asked.devices.count,
                request: { device in .recovery(RecoveryRequest(device: device, replacementCertificates: certificates, newFloor: floor, reason: reason)) },
                operatorSubject: grant.subject,
                afterGroup: { group, _ in
                    records += group
                    return true
                })
            if let failure = outcome.failure { throw failure }
            return OperatorBulk.Sent(requests: records, refused: [])
        }
        if case .success(let sent) = result {
            let rejected = sent.requests.filter { $0.outcome == .rejected }.count
            log(DUISLogEntry(time: configuration.date(), note: "\(OperatorAPIPath.recoverySend): \(sent.requests.count) decided (\(rejected) rejected)",
                             operatorSubject: grant.subject))
        }
        return result
    }
}

extension OperatorRecovery {
    /// Refuses an operator whose grant does not give it the DCC's actions.
    static func requireDCC(_ grant: OperatorGrants.Grant) throws(OperatorFailure) {
        guard grant.dcc else { throw .refused("operator '\(grant.subject)' may not take the DCC's actions (a Recovery Event)") }
    }

    /// Refuses a floor far past the ACB's counter unless that was asked for, as `--allow-counter-jump` does at the DSP.
    static func checkJump(_ asked: PlanRequest, in ledger: Ledger) throws(RequestError) {
        guard !asked.allowCounterJump, let jump = CounterJump.inRecovery(newFloor: asked.newFloor, in: ledger) else { return }
        throw .invalidRequest(jump.description + "; pass --allow-counter-jump if that is meant")
    }
}
