import AnchorCore
import GPFSimulator

/// What a draft will send, and why, worked out against the loaded store before anything is sent.
public struct RequestPreview: Hashable, Sendable {
    /// One labelled line.
    public struct Line: Hashable, Sendable {
        public var label: String
        public var value: String
        public var level: StatusMessage.Level
    }

    /// The lines to show: requester, originator, recipient, counter and why, certificates, expected outcome.
    public var lines: [Line]
    /// The counter the command will carry.
    public var counter: OriginatorCounter?
    /// Whether the dry run expects the device to accept it.
    public var expectedOutcome: RequestOutcome?
    /// The dry run's reason when it expects a rejection.
    public var expectedReason: RejectionReason?
    /// The typed counter or floor's jumps, which the confirmation asks to be typed out (``CounterJump``).
    public var jumps: [CounterJump] = []

    /// Works out the preview of a draft against an estate.
    ///
    /// The counter is computed from the ledger as the engine will compute it; the expected
    /// outcome comes from running the request against a copy of the simulated device
    /// (nothing is kept). The time stamped on that dry run does not matter and is fixed.
    /// The dry run signs with demo keys; with `keys`, the key really held for the command's
    /// signer is checked against the certificate in the device's Network Operator Digital
    /// Signing cell too, so a key that does not match foresees the device's refusal.
    /// - Throws: ``RequestError`` when the draft names unknown things: nothing could be sent.
    public static func make(_ draft: RequestDraft, estate: Estate, glyphs: Glyphs, keys: SigningKeyCheck? = nil) throws(RequestError) -> RequestPreview {
        let ledger = estate.ledger
        let request = try draft.serviceRequest(ledger: ledger)
        guard let device = estate.devices[draft.device] else { throw .unknownDevice(draft.device.description) }
        var lines: [Line] = []
        func add(_ label: String, _ value: String, _ level: StatusMessage.Level = .info) {
            lines.append(Line(label: label, value: value, level: level))
        }
        var counter: OriginatorCounter?
        var jumps: [CounterJump] = []
        var signer: Organisation?
        switch request {
        case .updateSecurityCredentials(let request):
            guard let sender = ledger.organisation(request.sender) else { throw .unknownOrganisation(request.sender) }
            signer = sender
            counter = request.counter ?? sender.lastCounter.successor
            add("requester", "\(sender.id) (\(sender.name))")
            add("originator", "\(sender.id)  \(sender.entityId)")
            add("recipient", "\(device.id)  \(device.type.rawValue)")
            if let typed = request.counter {
                add("counter", "\(typed)  (typed; last used \(sender.lastCounter))")
            } else if let counter {
                add("counter", "\(counter)  (next: last used \(sender.lastCounter) + 1)")
            } else {
                add("counter", "none left: \(sender.id) has used \(UInt64.max)", .error)
            }
            if let typed = request.newFloor {
                add("new floor", "\(typed)  (typed: the NO floor after success; the DCC records the higher of it and the counter)")
            } else {
                add("new floor", "\((counter ?? sender.lastCounter))  (default = the counter; the next SRV6.21 must go above this floor, and the DCC records it)")
            }
            add("replaces", "NO cells " + glyphs.arrow + " " + request.replacementCertificates.joined(separator: ", "))
            if case .at(let time) = request.execution {
                add("executes", "at \(time): the device acknowledges now; the counter is recorded from its 0x8F66 alert, not before")
            }
            jumps = CounterJump.inUpdate(counter: request.counter, newFloor: request.newFloor, sender: sender.id, in: ledger,
                                         fields: ("counter", "new floor"))
            for jump in jumps { add("JUMP", jump.description + ": the confirmation asks you to type \(jump.value)", .error) }
        case .recovery:
            throw .invalidRequest("a Recovery Event is run with 'anchordesk recovery', not from the launcher")
        case .requestHandover(let request):
            guard let supplier = ledger.organisation(request.supplier) else { throw .unknownOrganisation(request.supplier) }
            guard let acb = ledger.soleOrganisation(withRole: .acb) else {
                throw .invalidRequest("the store has no single Access Control Broker organisation")
            }
            signer = acb
            let generated = acb.lastCounter.successor
            let recorded = ledger.recordedCounters[device.id]
            add("requester", "\(supplier.id) (\(supplier.name))  Request ID counter \(supplier.lastCounter.successor?.description ?? "-")")
            add("originator", "\(acb.id)  \(acb.entityId)  (the ACB signs SRV6.21)")
            add("recipient", "\(device.id)  \(device.type.rawValue)")
            if let generated {
                counter = HandoverCounterPolicy.counter(generated: generated, recorded: recorded, legacy: request.legacyCounters)
                let why: String
                if let recorded {
                    if request.legacyCounters {
                        why = "LEGACY: generated \(generated) used, recorded \(recorded) ignored"
                    } else if recorded >= generated {
                        why = "recorded \(recorded) \(glyphs.greaterOrEqual) generated \(generated), using recorded+1"
                    } else {
                        why = "recorded \(recorded) < generated \(generated), using generated"
                    }
                } else {
                    why = "no recorded counter, using generated \(generated)"
                }
                add("counter", counter?.description ?? "none left", request.legacyCounters ? .warning : .info)
                add("because", why, request.legacyCounters ? .warning : .info)
            } else {
                add("counter", "none left: the ACB's counter sequence is exhausted", .error)
            }
            add("new floor", "0  (the DCC's choice, as in the reference messages)")
            let placed = ledger.certificates(ownedBy: request.networkOperator)
                .filter { $0.inRepository && !$0.revoked }.map(\.id)
            add("places", "\(request.networkOperator): " + (placed.isEmpty ? "no usable certificate" : placed.joined(separator: ", ")))
        }
        add("NO floor now", "\(device.floors[.networkOperator])  (the device's own anti-replay floor)")

        var record = try estate.dryRun(request, now: Timestamp(secondsSince1970: 0)).ledger.request
        if record.outcome != .rejected, let signer,
           let refusal = keys?.refusal(signer: signer, certificate: device.cells[.networkOperatorDS]) {
            record.outcome = .rejected
            record.reason = .notAuthorised
            record.detail = refusal
        }
        if record.outcome == .scheduled {
            add("dry run", "\(glyphs.succeeded) expected to be acknowledged and kept until it falls due", .info)
        } else if record.outcome == .succeeded {
            add("dry run", "\(glyphs.succeeded) expected to succeed", .info)
        } else {
            add("dry run", "\(glyphs.rejected) expected REJECTED (\(record.reason?.rawValue ?? "-")): \(record.detail)", .error)
        }
        return RequestPreview(lines: lines, counter: counter,
                              expectedOutcome: record.outcome, expectedReason: record.reason, jumps: jumps)
    }
}
