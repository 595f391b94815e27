/// SRV6.21 for a GPF: a Supplier asks the DCC to place a GNO's certificates in the Network
/// Operator cells that hold the ACB's; the ACB signs the command with a counter it chooses.
enum HandoverHandler {
    static func process(
        _ request: HandoverRequest, ledger: Ledger, gateway: inout some DeviceGateway, now: Timestamp
    ) throws(RequestError) -> LedgerChange {
        guard let supplier = ledger.organisation(request.supplier) else {
            throw ledger.unknownOrganisation(request.supplier)
        }
        guard let networkOperator = ledger.organisation(request.networkOperator) else {
            throw ledger.unknownOrganisation(request.networkOperator)
        }
        guard let device = gateway.inventoryEntry(for: request.device) else {
            throw .unknownDevice(request.device.description)
        }
        guard let acb = ledger.soleOrganisation(withRole: .acb) else {
            throw .invalidRequest("the store has no single Access Control Broker organisation")
        }

        let supplierCounter = request.requestCounter ?? supplier.lastCounter.successor ?? supplier.lastCounter
        let stored = ledger.recordedCounters[device.id]
        let generated = acb.lastCounter.successor
        var record = RequestRecord(
            requestId: RequestEngine.requestId(originator: supplier.entityId, device: device.id, counter: supplierCounter),
            service: .requestHandover, device: device.id, requester: supplier.id, originator: acb.id,
            originatorCounter: generated ?? acb.lastCounter, outcome: .rejected, reason: nil, detail: "",
            recordedCounter: stored, deviceFloor: nil, generatedCounter: generated, storedCounter: stored,
            legacyCounters: request.legacyCounters, certificates: [], at: now)
        func rejected(_ reason: RejectionReason, _ detail: String, counters: [String: OriginatorCounter] = [:]) -> LedgerChange {
            record.rejection(reason, detail, counters: counters)
        }

        guard request.requestCounter != nil || supplier.lastCounter.successor != nil else {
            return rejected(.counterExhausted, "\(supplier.id) has no Request ID counter left")
        }
        // Every refusal from here is logged under a Request ID made of this counter: it is used.
        let requestCounter = [supplier.id: supplierCounter]
        if let refusal = RequestScreening.commonRefusal(requestId: record.requestId, device: device, ledger: ledger) {
            return rejected(refusal.reason, refusal.detail, counters: requestCounter)
        }
        guard supplier.role == .supplier, supplier.dccUser else {
            return rejected(.notAuthorised, supplier.role != .supplier
                ? "\(supplier.id) is a \(supplier.role.label); only a Supplier may request SRV6.21"
                : "\(supplier.id) is not a DCC User", counters: requestCounter)
        }
        guard device.supplier == supplier.id else {
            return rejected(.notAuthorised, "\(supplier.id) is not the Responsible Supplier of \(device.id) (\(device.supplier) is)",
                            counters: requestCounter)
        }
        guard networkOperator.role == .networkOperator else {
            return rejected(.notAuthorised, "\(networkOperator.id) is a \(networkOperator.role.label), not a Network Operator",
                            counters: requestCounter)
        }
        guard networkOperator.dccUser else {
            return rejected(.gnoNotDccUser, "\(networkOperator.id) is not a DCC User; the ACB certificate stays (FIA Req 2)",
                            counters: requestCounter)
        }
        var placements: [Certificate] = []
        for usage in [KeyUsage.digitalSigning, .keyAgreement] {
            let owned = ledger.certificates(ownedBy: networkOperator.id).filter { $0.keyUsage == usage && $0.inRepository }
            guard let usable = owned.last(where: { !$0.revoked }) else {
                return owned.isEmpty
                    ? rejected(.gnoNotDccUser, "\(networkOperator.id) has no \(usage.rawValue) certificate in the SMKI Repository",
                               counters: requestCounter)
                    : rejected(.certificateRevoked, "\(networkOperator.id)'s \(usage.rawValue) certificate is revoked",
                               counters: requestCounter)
            }
            placements.append(usable)
        }
        record.certificates = placements.map(\.id)
        let holder = device.cells[.networkOperatorDS].flatMap { ledger.owner(ofCertificate: $0) }
        // A scheduled command matters while its signer's certificate is in the cell (it will
        // execute), or if that signer is the GNO to be placed (placing it would let it execute).
        if let pending = ledger.pendingCommand(for: device.id), holder?.id == pending.sender || networkOperator.id == pending.sender {
            return rejected(.handBackPending, holder?.id == pending.sender
                ? "\(device.id) holds \(pending.requestId) from \(pending.sender), due at \(pending.dueAt); until its alert arrives the Network Operator cell and the counter to use are not known"
                : "\(device.id) still holds \(pending.sender)'s scheduled \(pending.requestId), due at \(pending.dueAt); placing \(pending.sender) again would let it execute",
                            counters: requestCounter)
        }
        guard holder?.role == .acb else {
            return rejected(.notAuthorised,
                            "the Network Operator cell of \(device.id) holds \(holder?.id ?? "no")'s certificate, not the ACB's; its GNO must hand it back with SRV6.15.1 first",
                            counters: requestCounter)
        }

        guard let generated else {
            return rejected(.counterExhausted, "the ACB's counter sequence is exhausted", counters: requestCounter)
        }
        var counters = requestCounter
        counters[acb.id] = generated
        guard let counter = HandoverCounterPolicy.counter(generated: generated, recorded: stored, legacy: request.legacyCounters) else {
            return rejected(.counterExhausted,
                            "recorded counter \(stored.map(String.init(describing:)) ?? "-") is \(UInt64.max); no greater counter exists",
                            counters: counters)
        }
        record.originatorCounter = counter

        let command = UpdateSecurityCredentialsCommand(
            originator: acb.entityId, recipient: device.id, originatorCounter: counter,
            mode: .networkOperatorByNetworkOperator, newFloor: OriginatorCounter(0),
            replacements: RequestScreening.networkOperatorReplacements(placements, ledger: ledger), pathOptions: request.pathOptions)
        let answer = ResponseInterpretation(gateway.deliver(command), counter: counter)
        record.outcome = answer.outcome
        record.reason = answer.reason
        record.detail = answer.detail + " (" + counterExplanation(generated: generated, stored: stored, used: counter,
                                                                  legacy: request.legacyCounters) + ")"
        record.deviceFloor = answer.reportedFloor
        return LedgerChange(request: record, organisationCounters: counters, recorded: nil)
    }

    /// Why the counter is what it is, in the words the console shows.
    static func counterExplanation(
        generated: OriginatorCounter, stored: OriginatorCounter?, used: OriginatorCounter, legacy: Bool
    ) -> String {
        guard let stored else { return "no recorded counter, using generated \(generated)" }
        if legacy { return "legacy counters: generated \(generated) used, recorded \(stored) ignored" }
        return used == generated
            ? "recorded \(stored) < generated \(generated), using generated"
            : "recorded \(stored) ≥ generated \(generated), using recorded + 1 = \(used)"
    }
}
