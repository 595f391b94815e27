import AnchorCore
import AnchorStore

extension ServiceSession {
    /// Runs a ``StoreJob`` with the core's rules only: the hand-back is SRV6.15.1 → ACB through
    /// the engine, the cease is ``AnchorCore/OrganisationLifecycle``, a Recovery Event is
    /// planned by ``AnchorCore/RecoveryPlan``. Bulk work goes in durable groups
    /// (``bulk(_:signer:groupSize:request:stopRequested:afterGroup:)``), and `progress` hears of a
    /// group only once it is durable; returning `false` from it stops the run there.
    public func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobOutcome {
        var outcome = JobOutcome(job: job)
        switch job {
        case .lifecycle(let draft): runLifecycle(draft, progress: progress, into: &outcome)
        case .recovery(let draft): runRecovery(draft, progress: progress, into: &outcome)
        case .requests(let draft): runMarked(draft, progress: progress, into: &outcome)
        }
        if outcome.failure == nil, let message = compactIfDue().message { outcome.warning = message }
        return outcome
    }

    private func runLifecycle(_ draft: LifecycleDraft, progress: (BulkProgress) -> Bool, into outcome: inout JobOutcome) {
        guard let organisation = estate.ledger.organisation(draft.organisation) else {
            outcome.failure = estate.ledger.unknownOrganisation(draft.organisation).description
            return
        }
        if draft.handBack {
            guard draft.action == .cease, organisation.role == .networkOperator else {
                outcome.failure = "hand-back is for a Network Operator that ceases; \(organisation.id) is a \(organisation.role.label)"
                return
            }
            if organisation.dccUser {
                let certificates: [String]
                do {
                    certificates = try estate.ledger.resolveCertificates("acb")
                } catch {
                    outcome.failure = error.description
                    return
                }
                let pending: [EUI64]
                do {
                    pending = try writer.selection(DeviceFilter(terms: [.networkOperator(organisation.id)])).devices.map(\.id)
                } catch {
                    outcome.failure = error.description
                    return
                }
                guard confirmed(draft.confirmedDevices, matches: pending.count, into: &outcome) else { return }
                let bulk = BulkProgress(title: "Hand-back of \(organisation.id)'s devices to the ACB", total: pending.count)
                let stopped = runGroups(pending, signer: organisation, bulk: bulk, progress: progress, into: &outcome) { device in
                    .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                        sender: organisation.id, device: device, replacementCertificates: certificates))
                }
                if stopped { return }
            }
        }
        do {
            switch try lifecycle(draft.action, organisation: organisation.id) {
            case .unchanged(let detail): outcome.unchanged = detail
            case .committed(let record): outcome.lifecycle = record
            }
        } catch {
            if case .store = error {
                outcome.failure = "the \(draft.action.rawValue) could not be made durable: \(error.description)"
            } else {
                outcome.failure = error.description
            }
        }
    }

    private func runRecovery(_ draft: RecoveryDraft, progress: (BulkProgress) -> Bool, into outcome: inout JobOutcome) {
        let plan: RecoveryPlan
        do {
            let filter = try DeviceFilter(parsing: draft.filter)
            plan = try RecoveryPlan(estate: try writer.selection(filter), filter: filter, replacement: draft.replacement)
        } catch {
            outcome.failure = "\(error)"
            return
        }
        guard confirmed(draft.confirmedDevices, matches: plan.pending.count, into: &outcome) else { return }
        let bulk = BulkProgress(title: "Recovery Event (exceptional)", total: plan.pending.count, skipped: plan.skipped)
        _ = runGroups(plan.pending, signer: nil, bulk: bulk, progress: progress, into: &outcome) { device in
            .recovery(RecoveryRequest(device: device, replacementCertificates: plan.certificates, newFloor: draft.newFloor,
                                      reason: draft.reason))
        }
    }

    /// Marked devices: every request is built first (certificates that cannot be named send
    /// nothing), then they go in durable groups like any bulk run.
    private func runMarked(_ draft: MarkedRequestsDraft, progress: (BulkProgress) -> Bool, into outcome: inout JobOutcome) {
        let requests: [EUI64: ServiceRequest]
        do {
            requests = Dictionary(zip(draft.targets.map(\.device), try draft.requests(ledger: estate.ledger)), uniquingKeysWith: { first, _ in first })
        } catch {
            outcome.failure = "nothing was sent: \(error.description)"
            return
        }
        let signer = draft.service == .updateSecurityCredentials ? estate.ledger.organisation(draft.networkOperator) : nil
        let devices = draft.targets.map(\.device)
        let bulk = BulkProgress(title: "SRV\(draft.service.rawValue) to \(devices.count) marked devices", total: devices.count)
        _ = runGroups(devices, signer: signer, bulk: bulk, progress: progress, into: &outcome) { device in
            requests[device]!
        }
    }

    /// The store may have changed since the operator confirmed: then nothing is sent.
    private func confirmed(_ confirmed: Int?, matches count: Int, into outcome: inout JobOutcome) -> Bool {
        guard let confirmed, confirmed != count else { return true }
        outcome.failure = "the store changed since you confirmed \(confirmed) device\(confirmed == 1 ? "" : "s"): \(count) now match; nothing was sent, review it again"
        return false
    }

    /// The bulk part of a job. Returns whether it stopped early (asked to, or failed);
    /// `outcome.bulk` counts only durable requests.
    private func runGroups(
        _ devices: [EUI64], signer: Organisation?, bulk: BulkProgress, progress: (BulkProgress) -> Bool, into outcome: inout JobOutcome,
        request: (EUI64) -> ServiceRequest
    ) -> Bool {
        var bulk = bulk
        let result: BulkResult
        do {
            result = try self.bulk(devices, signer: signer, request: request, afterGroup: { _, tally in
                bulk.show(tally)
                return progress(bulk)
            })
        } catch {
            outcome.failure = "nothing was sent: \(error.description)"
            return true
        }
        outcome.bulk = bulk
        if let failure = result.failure {
            outcome.failure = "stopped after \(bulk.done) durable request\(bulk.done == 1 ? "" : "s"): \(failure)"
            return true
        }
        outcome.interrupted = result.stopped
        return result.stopped
    }
}
