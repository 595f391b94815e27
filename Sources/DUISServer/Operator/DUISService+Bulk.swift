import AnchorCore
import AnchorService
import AnchorStore
import DCCWire
import DUIS
import Foundation
import SMKI

extension DUISService {
    /// The devices a bulk SRV6.15.1 sends to (``OperatorBulk``, step 1), within the operator API's
    /// ``OperatorSelectionBound``.
    func bulkPlan(_ asked: OperatorBulk.PlanRequest, grant: OperatorGrants.Grant) async -> Result<OperatorBulk.Plan, OperatorFailure> {
        let bound = OperatorSelectionBound(bound: configuration.operatorBulkDevices, paging: configuration.estateStore?.paging, atTheDSP: "anchordesk bulk 6.15.1")
        return await onDecidingQueue { duis in
            let sender = try duis.bulkSender(asked.organisation, grant: grant)
            let ledger = duis.estate.ledger
            let filter = try DeviceFilter(parsing: asked.filter)
            try filter.checkNames(in: ledger)
            let execution = try OperatorBulk.execution(asked.executeAt)
            try execution.checkSchedulable(now: duis.session.now())
            guard (asked.limit ?? 0) >= 0 else { throw OperatorFailure.badRequest("limit must be a whole number, 0 or more") }
            try bound.checkBefore(filter)
            let plan = try duis.session.handBackPlan(filter, replacements: try ledger.resolveCertificates(asked.certificate), execution: execution)
            try bound.check(plan.pending.count + plan.skipped)
            let limited = plan.limited(to: asked.limit)
            return OperatorBulk.Plan(entityId: sender.entityId, pending: limited.pending, skipped: limited.skipped,
                                     warning: limited.scheduledWarning(execution: execution))
        }
    }

    /// A group's unsigned pre-commands, with the sender's next counters in the order asked
    /// (``OperatorBulk``, step 2). Nothing changes.
    func bulkPrepare(_ asked: OperatorBulk.PrepareRequest, grant: OperatorGrants.Grant) async -> Result<OperatorBulk.Prepared, OperatorFailure> {
        let workers = configuration.service.settings.workers
        return await onDecidingQueue { duis in
            let sender = try duis.bulkSender(asked.organisation, grant: grant)
            try OperatorBulk.checkGroup(asked.devices)
            let execution = try OperatorBulk.execution(asked.executeAt)
            let session = duis.session
            defer { session.release() }
            try execution.checkSchedulable(now: session.now())
            let certificates = try session.estate.ledger.resolveCertificates(asked.certificate)
            try session.prepare(devices: asked.devices, counterOwners: [sender.id])
            let estate = session.estate
            let last = estate.ledger.organisation(sender.id)?.lastCounter ?? sender.lastCounter
            let counters = try OperatorBulk.nextCounters(asked.devices.count, after: OperatorBulk.counterBefore(asked.after, last: last))
            let (directory, now) = (try session.credentials().directory, session.now())
            let devices = asked.devices
            let made = concurrentMap(count: devices.count, workers: workers) { index -> Result<OperatorBulk.Command, OperatorBulk.Refusal> in
                let request = ServiceRequest.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                    sender: sender.id, device: devices[index], replacementCertificates: certificates, counter: counters[index], execution: execution))
                do throws(RequestError) {
                    let transform = try estate.transform(request, now: now, directory: directory)
                    guard let preCommand = transform.preCommand else {
                        return .failure(OperatorBulk.Refusal(device: devices[index], error: transform.decision.request.detail))
                    }
                    return .success(OperatorBulk.Command(device: devices[index], gbcs: Data(preCommand.encoded).base64EncodedString()))
                } catch {
                    return .failure(OperatorBulk.Refusal(device: devices[index], error: error.description))
                }
            }
            let preCommands = made.compactMap { try? $0.get() }
            try session.prefetchAhead(preCommands.map(\.device)) { device in
                .updateSecurityCredentials(UpdateSecurityCredentialsRequest(sender: sender.id, device: device, replacementCertificates: certificates))
            }
            return OperatorBulk.Prepared(preCommands: preCommands, refused: made.compactMap(\.refusal))
        }
    }

    /// Checks a group's signed pre-commands, sends those that pass to their devices and makes
    /// the group durable together, each request naming the operator (``OperatorBulk``, step 4).
    func bulkSend(_ asked: OperatorBulk.SendRequest, grant: OperatorGrants.Grant) async -> Result<OperatorBulk.Sent, OperatorFailure> {
        let workers = configuration.service.settings.workers
        let result: Result<OperatorBulk.Sent, OperatorFailure> = await onDecidingQueue { duis in
            let sender = try duis.bulkSender(asked.organisation, grant: grant)
            try OperatorBulk.checkGroup(asked.commands.map(\.device))
            let execution = try OperatorBulk.execution(asked.executeAt)
            let session = duis.session
            defer { session.release() }
            try session.deliverDueAlerts()
            try session.prepare(devices: asked.commands.map(\.device), counterOwners: [sender.id])
            let (accepted, refused) = try duis.checked(asked.commands, execution: execution, sender: sender, workers: workers)
            let requests = Dictionary(uniqueKeysWithValues: accepted.map { ($0.request.device, $0.request) })
            let signatures = PresignedCommandSigner(signatures: Dictionary(accepted.map { ($0.signedBytes, $0.signature) }, uniquingKeysWith: { first, _ in first }))
            let records = try session.sendGroup(accepted.map(\.request.device), presigned: (sender.entityId, signatures), operatorSubject: grant.subject) { device in
                .updateSecurityCredentials(requests[device]!)
            }
            return OperatorBulk.Sent(requests: records, refused: refused)
        }
        if case .success(let sent) = result {
            let rejected = sent.requests.filter { $0.outcome == .rejected }.count
            log(DUISLogEntry(time: configuration.date(), note: "\(OperatorAPIPath.bulkSend) \(asked.organisation): \(sent.requests.count) decided (\(rejected) rejected), \(sent.refused.count) refused before the devices",
                             operatorSubject: grant.subject))
        }
        return result
    }
}

extension DUISSession {
    /// A group's signed pre-commands checked (``OperatorBulk/check(_:execution:sender:above:in:directory:now:)``,
    /// on `workers` threads), and each counter above the one before: the devices record them in
    /// the order sent. No copy of the estate outlives this: one held while the group is staged
    /// would make staging copy every device.
    fileprivate func checked(
        _ commands: [OperatorBulk.Command], execution: CommandExecution, sender: Organisation, workers: Int
    ) throws -> (accepted: [DUISServiceMapping.SignedPreCommand], refused: [OperatorBulk.Refusal]) {
        let estate = session.estate
        let last = estate.ledger.organisation(sender.id)?.lastCounter ?? sender.lastCounter
        let (directory, now) = (try session.credentials().directory, session.now())
        let checked = concurrentMap(count: commands.count, workers: workers) { index in
            OperatorBulk.check(commands[index], execution: execution, sender: sender, above: last, in: estate, directory: directory, now: now)
        }
        var refused = checked.compactMap(\.refusal)
        var accepted: [DUISServiceMapping.SignedPreCommand] = []
        for case .success(let signed) in checked {
            guard let counter = signed.request.counter, counter > (accepted.last?.request.counter ?? last) else {
                refused.append(OperatorBulk.Refusal(device: signed.request.device, error: "its counter is not above the previous command's", prepareAgain: true))
                continue
            }
            accepted.append(signed)
        }
        return (accepted, refused)
    }

    /// The sending GNO of a bulk SRV6.15.1, as DUIS checks a signed request's sender.
    /// - Throws: `unknown-org` (400); 403 when the operator may not act for it, it is no Network
    ///   Operator, or no DCC User.
    fileprivate func bulkSender(_ id: String, grant: OperatorGrants.Grant) throws -> Organisation {
        let sender = try estate.ledger.existingOrganisation(id)
        guard grant.organisations.contains(sender.id) else {
            throw OperatorFailure.refused("operator '\(grant.subject)' may not act for \(sender.id)")
        }
        guard sender.role == .networkOperator else {
            throw OperatorFailure.refused("\(sender.id) is a \(sender.role.label); SRV6.15.1 into Network Operator cells is the Network Operator's")
        }
        guard sender.dccUser else { throw OperatorFailure.refused("\(sender.id) is not a DCC User") }
        return sender
    }
}

extension OperatorBulk {
    /// Refuses an empty or oversized group, or one naming a device twice.
    static func checkGroup(_ devices: [EUI64]) throws(OperatorFailure) {
        guard (1...maximumGroup).contains(devices.count) else { throw .badRequest("a group names 1 to \(maximumGroup) devices") }
        guard Set(devices).count == devices.count else { throw .badRequest("a group names a device twice") }
    }

    /// The counter a group's counters go above: the sender's `last`, or `asked` (the last of a
    /// group prepared and not sent yet) when that is higher.
    /// - Throws: 400 when `asked` is more than ``maximumAhead`` past `last`.
    fileprivate static func counterBefore(_ asked: OriginatorCounter?, last: OriginatorCounter) throws(OperatorFailure) -> OriginatorCounter {
        guard let asked, asked > last else { return last }
        guard asked.value - last.value <= maximumAhead else {
            throw .badRequest("after \(asked) is more than \(maximumAhead) past the sender's last counter, \(last): a group prepared ahead follows one not sent yet")
        }
        return asked
    }

    /// The `count` counters after `last`, in order.
    fileprivate static func nextCounters(_ count: Int, after last: OriginatorCounter) throws(RequestError) -> [OriginatorCounter] {
        var counters: [OriginatorCounter] = []
        var counter = last
        for _ in 0..<count {
            guard let next = counter.successor else { throw .invalidRequest("the sender has no counter left") }
            counters.append(next)
            counter = next
        }
        return counters
    }

    /// One signed pre-command checked as DUIS checks CommandVariant 5: a signed CS02b command
    /// from `sender` to a known device, with a counter above `last`, whose signed bytes are the
    /// engine's pre-command for the request they describe, signed with the key of the certificate
    /// in the device's Network Operator Digital Signing cell. Beyond DUIS, it must be what the DSP
    /// prepares: the execution the group asks for exactly, and no counter or floor that burns
    /// counters for good (``AnchorCore/CounterJump``: a floor of 2^64-1 would leave the ACB no
    /// counter for the device's SRV6.21).
    fileprivate static func check(
        _ command: Command, execution: CommandExecution, sender: Organisation, above last: OriginatorCounter, in estate: Estate,
        directory: CertificateDirectory, now: Timestamp
    ) -> Result<DUISServiceMapping.SignedPreCommand, Refusal> {
        func refusal(_ why: String, prepareAgain: Bool? = nil) -> Result<DUISServiceMapping.SignedPreCommand, Refusal> {
            .failure(Refusal(device: command.device, error: why, prepareAgain: prepareAgain))
        }
        guard let gbcs = Data(base64Encoded: command.gbcs) else { return refusal("its command is not base64") }
        guard let device = estate.devices[command.device] else { return refusal("the store holds no device \(command.device)") }
        let signed: DUISServiceMapping.SignedPreCommand
        do {
            signed = try DUISServiceMapping.signedPreCommand(Array(gbcs), execution: execution, sender: sender, device: command.device, directory: directory)
        } catch {
            return refusal(error.reason)
        }
        guard signed.request.execution == execution else {
            return refusal("its executionDateTime is not the execution the group asks for (executeAt)")
        }
        guard let counter = signed.request.counter, counter > last else {
            return refusal("its counter is not above \(sender.id)'s last, \(last)", prepareAgain: true)
        }
        let fields = (counter: "its counter", newFloor: "its new floor")
        if let jump = CounterJump.inUpdate(counter: counter, newFloor: signed.request.newFloor, sender: sender.id, in: estate.ledger, fields: fields).first {
            return refusal("\(jump.field) \(jump.value) jumps past \(jump.naturalName), \(jump.natural), burning \(jump.burned) counters for good; a bulk sends only what the DSP prepares")
        }
        let transform: PreCommandTransform
        do throws(RequestError) {
            transform = try estate.transform(.updateSecurityCredentials(signed.request), now: now, directory: directory)
        } catch {
            return refusal(error.description)
        }
        // The engine would refuse it now (another group handed the device back meanwhile, say).
        guard let expected = transform.preCommand else { return refusal(transform.decision.request.detail) }
        guard expected.signedBytes == signed.signedBytes else {
            return refusal("the signed bytes are not the pre-command AnchorDesk makes for this request")
        }
        let authorising = device.cells[.networkOperatorDS].flatMap { directory[$0] }
        guard let authorising, authorising.verifies(signature: signed.signature, over: signed.signedBytes) else {
            return refusal("the signature does not verify with the certificate in \(device.id)'s Network Operator Digital Signing cell")
        }
        return .success(signed)
    }
}

extension Result where Failure == OperatorBulk.Refusal {
    /// The refusal, if it is one.
    fileprivate var refusal: OperatorBulk.Refusal? {
        guard case .failure(let refusal) = self else { return nil }
        return refusal
    }
}
