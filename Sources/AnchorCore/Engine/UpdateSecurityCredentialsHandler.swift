/// SRV6.15.1 into a GPF's Network Operator cells, sent by the GNO whose certificate is there.
enum UpdateSecurityCredentialsHandler {
    static func process(
        _ request: UpdateSecurityCredentialsRequest, ledger: Ledger, gateway: inout some DeviceGateway, now: Timestamp
    ) throws(RequestError) -> LedgerChange {
        guard let sender = ledger.organisation(request.sender) else {
            throw ledger.unknownOrganisation(request.sender)
        }
        guard let device = gateway.inventoryEntry(for: request.device) else {
            throw .unknownDevice(request.device.description)
        }
        let replacements = try RequestScreening.replacementCertificates(request.replacementCertificates, ledger: ledger, service: "SRV6.15.1")
        try request.execution.checkSchedulable(now: now)

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
        // Every refusal from here is logged under a Request ID made of this counter: it is used.
        let consumed = [sender.id: counter]
        if let refusal = RequestScreening.commonRefusal(requestId: record.requestId, device: device, ledger: ledger) {
            return rejected(refusal.reason, refusal.detail, counters: consumed)
        }
        guard sender.role == .networkOperator, sender.dccUser else {
            return rejected(.notAuthorised, sender.role != .networkOperator
                ? "\(sender.id) is a \(sender.role.label), not a Network Operator"
                : "\(sender.id) is not a DCC User and cannot send Service Requests", counters: consumed)
        }
        let holder = device.cells[.networkOperatorDS].flatMap { ledger.owner(ofCertificate: $0) }
        guard holder?.id == sender.id else {
            return rejected(.notAuthorised,
                            "the Network Operator cell of \(device.id) holds \(holder?.id ?? "no")'s certificate, not \(sender.id)'s",
                            counters: consumed)
        }
        if let refusal = RequestScreening.replacementRefusal(replacements) {
            return rejected(refusal.reason, refusal.detail, counters: consumed)
        }
        let pending = ledger.pendingCommand(for: device.id)
        switch request.execution {
        case .immediate:
            break
        case .at:
            if let pending {
                return rejected(.handBackPending, "\(device.id) already holds \(pending.requestId), due at \(pending.dueAt); cancel it first or wait for its alert",
                                counters: consumed)
            }
        case .cancelScheduled:
            guard let pending, pending.sender == sender.id else {
                return rejected(.nothingScheduled, "\(device.id) holds no future-dated command from \(sender.id) to cancel", counters: consumed)
            }
        }

        let newFloor = request.newFloor ?? counter
        let command = UpdateSecurityCredentialsCommand(
            originator: sender.entityId, recipient: device.id, originatorCounter: counter,
            mode: .networkOperatorByNetworkOperator, newFloor: newFloor,
            replacements: RequestScreening.networkOperatorReplacements(replacements, ledger: ledger), execution: request.execution,
            pathOptions: request.pathOptions)
        let answer = ResponseInterpretation(gateway.deliver(command), counter: counter)
        record.outcome = answer.outcome
        record.reason = answer.reason
        record.detail = answer.detail
        record.deviceFloor = answer.reportedFloor
        if answer.accepted, let step = acknowledgement(of: request, record: &record, pending: pending, ledger: ledger, now: now) {
            return LedgerChange(request: record, organisationCounters: consumed, recorded: nil, schedule: step)
        }

        // Northbound rule (FIA 4.1.1): the response shows the ACB's certificate now in the NO cell.
        let recorded = NorthboundRecording.entry(
            holder: answer.networkOperatorSigningHolder, reportedFloor: answer.reportedFloor, counter: counter,
            requestId: record.requestId, at: now)
        if let recorded {
            record.recordedCounter = max(ledger.recordedCounters[device.id] ?? recorded.counter, recorded.counter)
            record.detail += NorthboundRecording.sentence(recorded)
        }
        return LedgerChange(request: record, organisationCounters: consumed, recorded: recorded)
    }

    /// A device's acknowledgement (`commandAccepted`, no outcome) of a future-dated command or a
    /// cancellation, as the schedule log step it makes; `nil` when no acknowledgement was expected.
    /// Nothing is recorded: the counter is recorded from the alert, when the device has acted.
    private static func acknowledgement(
        of request: UpdateSecurityCredentialsRequest, record: inout RequestRecord, pending: ScheduleRecord?, ledger: Ledger,
        now: Timestamp
    ) -> ScheduleRecord? {
        switch request.execution {
        case .immediate:
            return nil
        case .at(let due):
            record.reason = nil
            let acb = ledger.soleOrganisation(withRole: .acb)
            let handBack = record.certificates.contains { ledger.certificate($0).map { $0.owner == acb?.id && $0.keyUsage == .digitalSigning } ?? false }
            record.outcome = .scheduled
            record.detail = "the device accepted the command for execution at \(due); "
                + (handBack ? "the counter is recorded when its 0x8F66 alert shows the ACB in the Network Operator cell"
                            : "its alert will report the outcome")
            return ScheduleRecord(
                event: .acknowledged, requestId: record.requestId, device: record.device, sender: record.requester,
                counter: record.originatorCounter, dueAt: due, handBack: handBack,
                detail: "acknowledged: commandAccepted, to execute at \(due)", at: now)
        case .cancelScheduled:
            guard var step = pending else { return nil }
            record.reason = nil
            record.outcome = .succeeded
            record.detail = "the device dropped \(step.requestId), which was due at \(step.dueAt); nothing was replaced or recorded"
            step.event = .cancelled
            step.detail = "cancelled by \(record.requestId) before it fell due"
            step.at = now
            return step
        }
    }
}
