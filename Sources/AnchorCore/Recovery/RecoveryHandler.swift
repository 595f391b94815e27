/// A Recovery Event on a GPF's Network Operator cells: the SMKI Recovery organisation signs a
/// CS02b `anyExceptAbnormalRootByRecovery` with its own counter sequence, authorised by the
/// device's Recovery cell, and sets the NO floor explicitly.
///
/// The FIA records counters only from SRV6.15.1. AnchorDesk carries the same guarantee through
/// a recovery: when the response shows the ACB in the NO cell, the NO floor the device reported
/// is recorded (service `recovery`), so a later SRV6.21 is generated above it.
enum RecoveryHandler {
    static func process(
        _ request: RecoveryRequest, ledger: Ledger, gateway: inout some DeviceGateway, now: Timestamp
    ) throws(RequestError) -> LedgerChange {
        guard let recovery = ledger.soleOrganisation(withRole: .recovery) else {
            throw .invalidRequest("the store has no single SMKI Recovery organisation")
        }
        guard let device = gateway.inventoryEntry(for: request.device) else {
            throw .unknownDevice(request.device.description)
        }
        guard !request.reason.allSatisfy(\.isWhitespace) else {
            throw .invalidRequest("a Recovery Event needs a reason")
        }
        let replacements = try RequestScreening.replacementCertificates(request.replacementCertificates, ledger: ledger, service: "a Recovery Event")

        let previousHolder = device.cells[.networkOperatorDS].flatMap { ledger.owner(ofCertificate: $0) }
        let proposed = recovery.lastCounter.successor
        var record = RequestRecord(
            requestId: RequestEngine.requestId(originator: recovery.entityId, device: device.id, counter: proposed ?? recovery.lastCounter),
            service: .recovery, device: device.id, requester: recovery.id, originator: recovery.id,
            originatorCounter: proposed ?? recovery.lastCounter, outcome: .rejected, reason: nil, detail: "",
            recordedCounter: ledger.recordedCounters[device.id], deviceFloor: nil, generatedCounter: nil,
            storedCounter: nil, legacyCounters: nil, certificates: replacements.map(\.id), at: now,
            recovery: RecoveryDetails(reason: request.reason, previousHolder: previousHolder?.id, newFloor: request.newFloor))
        func rejected(_ reason: RejectionReason, _ detail: String, counters: [String: OriginatorCounter] = [:]) -> LedgerChange {
            record.rejection(reason, detail, counters: counters)
        }

        guard let counter = proposed else {
            return rejected(.counterExhausted, "\(recovery.id) has used counter \(UInt64.max); no greater counter exists")
        }
        if let refusal = RequestScreening.commonRefusal(requestId: record.requestId, device: device, ledger: ledger) {
            return rejected(refusal.reason, refusal.detail)
        }
        let consumed = [recovery.id: counter]
        if let refusal = RequestScreening.replacementRefusal(replacements) {
            return rejected(refusal.reason, refusal.detail, counters: consumed)
        }

        let command = UpdateSecurityCredentialsCommand(
            originator: recovery.entityId, recipient: device.id, originatorCounter: counter,
            mode: .anyExceptAbnormalRootByRecovery, newFloor: request.newFloor,
            replacements: RequestScreening.networkOperatorReplacements(replacements, ledger: ledger))
        let answer = ResponseInterpretation(gateway.deliver(command), counter: counter)
        record.outcome = answer.outcome
        record.reason = answer.reason
        record.detail = answer.reason == .antiReplay
            ? "the device refused counter \(counter): not greater than its Recovery floor"
            : "Recovery Event: " + answer.detail
        record.deviceFloor = answer.reportedFloor

        var recorded: CounterHistoryEntry?
        if answer.outcome == .succeeded, answer.networkOperatorSigningHolder?.role == .acb {
            let floor = answer.reportedFloor ?? request.newFloor
            recorded = CounterHistoryEntry(at: now, requestId: record.requestId, service: .recovery, counter: floor)
            record.recordedCounter = max(ledger.recordedCounters[device.id] ?? floor, floor)
            record.detail += "; the ACB now holds the Network Operator cell, NO floor \(floor) recorded"
        }
        return LedgerChange(request: record, organisationCounters: consumed, recorded: recorded)
    }
}
