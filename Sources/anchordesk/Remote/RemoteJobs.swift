import AnchorCore
import AnchorService
import DUISServer
import OperatorClient

/// The console's jobs through the DSP's operator API, as ``AnchorService/ServiceSession/perform(_:progress:)``
/// runs them at the DSP: marked devices' requests, each signed here with its User's own key, and
/// lifecycle actions (a cease with its hand-back first) and Recovery Events, which the DSP signs.
/// `progress` hears of requests only once the DSP has made them durable, and returning `false`
/// stops the run there.
struct RemoteJobs {
    let connection: OperatorConnection
    /// The User key directory requests are signed with.
    let userKeys: String?
    /// Requests a group of a bulk part sends.
    static let groupSize = 500

    func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobOutcome {
        var outcome = JobOutcome(job: job)
        do throws(CLIFailure) {
            switch job {
            case .requests(let draft): try runMarked(draft, progress: progress, into: &outcome)
            case .recovery(let draft): try runRecovery(draft, progress: progress, into: &outcome)
            case .lifecycle(let draft): try runLifecycle(draft, progress: progress, into: &outcome)
            }
        } catch {
            let done = outcome.bulk?.done ?? 0
            outcome.failure = done == 0 ? "nothing was sent: \(error.message)"
                : "stopped after \(done) durable request\(done == 1 ? "" : "s"): \(error.message)"
        }
        return outcome
    }

    /// Marked devices, one request each through the API (the DSP decides and records each before
    /// it answers): a hand-back signed with the GNO's key, or a handover signed with each device's
    /// own Supplier's.
    private func runMarked(_ draft: MarkedRequestsDraft, progress: (BulkProgress) -> Bool, into outcome: inout JobOutcome) throws(CLIFailure) {
        var bulk = BulkProgress(title: "SRV\(draft.service.rawValue) to \(draft.targets.count) marked devices", total: draft.targets.count)
        var tally = BulkTally()
        outcome.bulk = bulk
        for target in draft.targets {
            let request: DUISRequestDraft
            switch draft.service {
            case .updateSecurityCredentials:
                request = DUISRequestDraft(service: .updateSecurityCredentials, organisation: draft.networkOperator, device: target.device, certificate: "acb")
            case .requestHandover:
                guard !draft.legacyCounters else { throw CLIFailure.badInput("legacy counters: not through the operator API yet; run it at the DSP") }
                request = DUISRequestDraft(service: .requestHandover, organisation: target.supplier, device: target.device, networkOperator: draft.networkOperator)
            case .recovery:
                throw CLIFailure.badInput("a Recovery Event is run with 'anchordesk recovery', not on marked devices")
            }
            tally.count([try RemoteRequest.decided(request, through: connection, keys: userKeys)])
            bulk.show(tally)
            outcome.bulk = bulk
            if !progress(bulk), bulk.done < bulk.total {
                outcome.interrupted = true
                return
            }
        }
    }

    /// A Recovery Event, for an operator granted the DCC's actions: the DSP plans it again and
    /// signs each command with the SMKI Recovery key it holds, unless its count is no longer the
    /// one confirmed.
    private func runRecovery(_ draft: RecoveryDraft, progress: (BulkProgress) -> Bool, into outcome: inout JobOutcome) throws(CLIFailure) {
        let recovery = RemoteRecovery(connection: connection, draft: draft)
        let plan = try recovery.planned()
        guard confirmed(draft.confirmedDevices, matches: plan.pending.count, into: &outcome) else { return }
        let bulk = BulkProgress(title: "Recovery Event (exceptional)", total: plan.pending.count, skipped: plan.skipped)
        try runGroups(plan.pending, bulk: bulk, progress: progress, into: &outcome) { devices, _, durable throws(CLIFailure) in
            try recovery.send(devices, durable: durable)
        }
    }

    /// Subscribe, cease or revoke, decided by the DSP for an operator granted the DCC's actions;
    /// a cease with its hand-back hands the GNO's devices back first, signed here with its key.
    private func runLifecycle(_ draft: LifecycleDraft, progress: (BulkProgress) -> Bool, into outcome: inout JobOutcome) throws(CLIFailure) {
        if draft.handBack {
            let gno = try RemoteHandBack.organisation(draft.organisation, through: connection)
            guard draft.action == .cease, let gno, gno.role == .networkOperator else {
                outcome.failure = "hand-back is for a Network Operator that ceases; \(draft.organisation) is a \(gno?.role.label ?? "party the DSP does not know")"
                return
            }
            // As at the DSP, a GNO that is no DCC User any more (ceased already) has nothing to hand back.
            if gno.dccUser { try handBack(draft, progress: progress, into: &outcome) }
            guard !outcome.interrupted, outcome.failure == nil else { return }
        }
        do throws(CLIFailure) {
            let reply: OperatorLifecycle.Reply = try OperatorCall.json(connection.post(
                OperatorAPIPath.lifecycle, body: OperatorCall.encoded(OperatorLifecycle.Request(action: draft.action, organisation: draft.organisation)),
                contentType: "application/json"), from: connection)
            outcome.lifecycle = reply.record
            outcome.unchanged = reply.record == nil ? reply.unchanged ?? "" : nil
        } catch {
            outcome.failure = error.message
        }
    }

    /// A cease's hand-back: the GNO's devices back to the ACB through the bulk calls, signed here
    /// with its key, unless the DSP's count is no longer the one confirmed.
    private func handBack(_ draft: LifecycleDraft, progress: (BulkProgress) -> Bool, into outcome: inout JobOutcome) throws(CLIFailure) {
        let handBack = RemoteHandBack(connection: connection, sender: draft.organisation, certificate: "acb", executeAt: nil, execution: .immediate)
        let plan = try handBack.plan(filter: DeviceFilter(terms: [.networkOperator(draft.organisation)]).expression, limit: nil, keys: userKeys)
        guard confirmed(draft.confirmedDevices, matches: plan.pending.count, into: &outcome) else { return }
        let bulk = BulkProgress(title: "Hand-back of \(draft.organisation)'s devices to the ACB", total: plan.pending.count)
        defer { handBack.finish() }
        try runGroups(plan.pending, bulk: bulk, progress: progress, into: &outcome, send: handBack.send(_:next:durable:))
    }

    /// The DSP's estate may have changed since the operator confirmed: then nothing is sent.
    private func confirmed(_ confirmed: Int?, matches count: Int, into outcome: inout JobOutcome) -> Bool {
        guard let confirmed, confirmed != count else { return true }
        outcome.failure = "the store changed since you confirmed \(confirmed) device\(confirmed == 1 ? "" : "s"): \(count) now match; nothing was sent, review it again"
        return false
    }

    /// A job's bulk part, a group at a time: `send` tells `durable` of each answer's requests as
    /// it comes and returns the devices the DSP refused before sending, which are not counted as
    /// sent (nothing of them is durable) and are the outcome's warning. A stop asked for sets
    /// `outcome.interrupted`.
    private func runGroups(
        _ devices: [EUI64], bulk: BulkProgress, progress: (BulkProgress) -> Bool, into outcome: inout JobOutcome,
        send: (_ devices: [EUI64], _ next: [EUI64]?, _ durable: ([RequestRecord]) -> Void) throws(CLIFailure) -> [OperatorBulk.Refusal]
    ) throws(CLIFailure) {
        var bulk = bulk
        var tally = BulkTally()
        var refused: [OperatorBulk.Refusal] = []
        outcome.bulk = bulk
        defer { outcome.warning = Self.warning(refused) }
        for start in stride(from: 0, to: devices.count, by: Self.groupSize) {
            let end = min(start + Self.groupSize, devices.count)
            let next = end < devices.count ? Array(devices[end..<min(end + Self.groupSize, devices.count)]) : nil
            let groupRefused = try send(Array(devices[start..<end]), next) { records in
                tally.count(records)
                bulk.show(tally)
                outcome.bulk = bulk
            }
            refused += groupRefused
            outcome.bulk = bulk
            if !progress(bulk), bulk.done + refused.count < bulk.total {
                outcome.interrupted = true
                return
            }
        }
    }

    /// One line for the devices the DSP refused before sending, if any.
    private static func warning(_ refused: [OperatorBulk.Refusal]) -> String? {
        guard let first = refused.first else { return nil }
        return "\(refused.count) refused by the DSP before the device, nothing recorded for \(refused.count == 1 ? "it" : "them") "
            + "(\(first.device): \(first.error)); run it again"
    }
}
