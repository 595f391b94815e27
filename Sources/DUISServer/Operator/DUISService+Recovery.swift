import AnchorCore
import AnchorService
import AnchorStore
import Foundation
import SMKI

extension DUISService {
    /// The devices a Recovery Event would address (``OperatorRecovery``, step 1), as `anchordesk
    /// recovery` plans at the DSP, bounded as a bulk run's plan is.
    func recoveryPlan(_ asked: OperatorRecovery.PlanRequest, grant: OperatorGrants.Grant) async -> Result<OperatorRecovery.Plan, OperatorFailure> {
        let bound = OperatorSelectionBound(bound: configuration.operatorBulkDevices, paging: configuration.estateStore?.paging, atTheDSP: "anchordesk recovery")
        return await onDecidingQueue { duis in
            try grant.requireDCC(for: "a Recovery Event")
            let ledger = duis.estate.ledger
            let filter = try DeviceFilter(parsing: asked.filter)
            try filter.checkNames(in: ledger)
            try OperatorRecovery.checkJump(asked, in: ledger)
            try bound.checkBefore(filter)
            let selection = try duis.session.selection(filter)
            try bound.check(selection.devices.count)
            let plan = try RecoveryPlan(estate: selection, filter: filter, replacement: asked.replaceWith)
            return OperatorRecovery.Plan(pending: plan.pending, skipped: plan.skipped, certificates: plan.certificates,
                                         recovery: ledger.soleOrganisation(withRole: .recovery))
        }
    }

    /// Sends a group of a Recovery Event and makes it durable together, each request naming the
    /// operator (``OperatorRecovery``, step 2).
    func recoverySend(_ asked: OperatorRecovery.SendRequest, grant: OperatorGrants.Grant) async -> Result<OperatorBulk.Sent, OperatorFailure> {
        let result: Result<OperatorBulk.Sent, OperatorFailure> = await onDecidingQueue { duis in
            try grant.requireDCC(for: "a Recovery Event")
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
            let records = try session.sendGroup(asked.devices, operatorSubject: grant.subject) { device in
                .recovery(RecoveryRequest(device: device, replacementCertificates: certificates, newFloor: floor, reason: reason))
            }
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
    /// Refuses a floor far past the ACB's counter unless that was asked for, as `--allow-counter-jump` does at the DSP.
    static func checkJump(_ asked: PlanRequest, in ledger: Ledger) throws(RequestError) {
        try CounterJump.check([CounterJump.inRecovery(newFloor: asked.newFloor, in: ledger)].compactMap { $0 }, allowed: asked.allowCounterJump)
    }
}

extension OperatorGrants.Grant {
    /// Refuses an operator whose grant does not give it the DCC's actions (403); `action` names what it asked for.
    func requireDCC(for action: String) throws(OperatorFailure) {
        guard dcc else { throw .refused("operator '\(subject)' may not take the DCC's actions (\(action))") }
    }
}

extension ServiceSession {
    /// One group of an operator's bulk run: sent through ``AnchorService/ServiceSession/bulk(_:signer:groupSize:request:presigned:operatorSubject:stopRequested:afterGroup:)``
    /// as a single durable group, each request naming the operator.
    /// - Returns: the group's requests, durable.
    /// - Throws: the group's failure, when it failed (nothing of it is durable).
    func sendGroup(
        _ devices: [EUI64], presigned: (EUI64, PresignedCommandSigner)? = nil, operatorSubject: String, request: (EUI64) -> ServiceRequest
    ) throws -> [RequestRecord] {
        guard !devices.isEmpty else { return [] }
        var records: [RequestRecord] = []
        let outcome = try bulk(devices, signer: nil, groupSize: devices.count, request: request, presigned: presigned, operatorSubject: operatorSubject,
                               afterGroup: { group, _ in
                                   records += group
                                   return true
                               })
        if let failure = outcome.failure { throw failure }
        return records
    }
}
