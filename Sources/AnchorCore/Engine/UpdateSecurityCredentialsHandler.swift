/// SRV6.15.1 into a GPF's Network Operator cells, sent by the GNO whose certificate is there.
enum UpdateSecurityCredentialsHandler {
    static func process(
        _ request: UpdateSecurityCredentialsRequest, ledger: Ledger, gateway: inout some DeviceGateway, now: Timestamp
    ) throws(RequestError) -> LedgerChange {
        guard let sender = ledger.organisation(request.sender) else {
            throw .unknownOrganisation(request.sender)
        }
        guard let device = gateway.inventoryEntry(for: request.device) else {
            throw .unknownDevice(request.device.description)
        }
        let replacements = try RequestScreening.replacementCertificates(request.replacementCertificates, ledger: ledger, service: "SRV6.15.1")

        let proposedCounter = request.counter ?? sender.lastCounter.successor
        var record = RequestRecord(
            requestId: RequestEngine.requestId(
                originator: sender.entityId, device: device.id, counter: proposedCounter ?? sender.lastCounter),
            service: .updateSecurityCredentials, device: device.id, requester: sender.id, originator: sender.id,
            originatorCounter: proposedCounter ?? sender.lastCounter, outcome: .rejected, reason: nil, detail: "",
            recordedCounter: ledger.recordedCounters[device.id], deviceFloor: nil, generatedCounter: nil,
            storedCounter: nil, legacyCounters: nil, certificates: replacements.map(\.id), at: now)
        func rejected(_ reason: RejectionReason, _ detail: String, counters: [String: OriginatorCounter] = [:]) -> LedgerChange {
            record.rejection(reason, detail, counters: counters)
        }

        guard let counter = proposedCounter else {
            return rejected(.counterExhausted, "\(sender.id) has used counter \(UInt64.max); no greater counter exists")
        }
        if let refusal = RequestScreening.commonRefusal(requestId: record.requestId, device: device, ledger: ledger) {
            return rejected(refusal.reason, refusal.detail)
        }
        guard sender.role == .networkOperator, sender.dccUser else {
            return rejected(.notAuthorised, sender.role != .networkOperator
                ? "\(sender.id) is a \(sender.role.label), not a Network Operator"
                : "\(sender.id) is not a DCC User and cannot send Service Requests")
        }
        let holder = device.cells[.networkOperatorDS].flatMap { ledger.owner(ofCertificate: $0) }
        guard holder?.id == sender.id else {
            return rejected(.notAuthorised,
                            "the Network Operator cell of \(device.id) holds \(holder?.id ?? "no")'s certificate, not \(sender.id)'s")
        }
        let consumed = [sender.id: counter]
        if let refusal = RequestScreening.replacementRefusal(replacements) {
            return rejected(refusal.reason, refusal.detail, counters: consumed)
        }

        let newFloor = request.newFloor ?? counter
        let command = UpdateSecurityCredentialsCommand(
            originator: sender.entityId, recipient: device.id, originatorCounter: counter,
            mode: .networkOperatorByNetworkOperator, newFloor: newFloor,
            replacements: RequestScreening.networkOperatorReplacements(replacements, ledger: ledger))
        let answer = ResponseInterpretation(gateway.deliver(command), counter: counter)
        record.outcome = answer.outcome
        record.reason = answer.reason
        record.detail = answer.detail
        record.deviceFloor = answer.reportedFloor

        // Northbound rule (FIA 4.1.1): the response shows the ACB's certificate now in the NO cell.
        var recorded: CounterHistoryEntry?
        if answer.networkOperatorSigningHolder?.role == .acb {
            let value = max(counter, answer.reportedFloor ?? counter)
            recorded = CounterHistoryEntry(at: now, requestId: record.requestId, service: .updateSecurityCredentials, counter: value)
            record.recordedCounter = max(ledger.recordedCounters[device.id] ?? value, value)
            record.detail += "; the ACB now holds the Network Operator cell, counter \(value) recorded"
        }
        return LedgerChange(request: record, organisationCounters: consumed, recorded: recorded)
    }
}
