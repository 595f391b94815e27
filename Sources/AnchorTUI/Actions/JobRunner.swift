import AnchorCore
import AnchorStore
import GPFSimulator
import SMKI

/// What ``JobRunner`` needs of a store opened for writing; ``AnchorStore/Store`` is one.
public protocol StagingStore: AnyObject {
    /// The estate, including staged changes.
    var estate: Estate { get }
    /// Applies a change now and holds its record until ``flush()``.
    func stage(_ change: EstateChange) throws(StoreError)
    /// Makes every staged change durable (one `fsync`).
    func flush() throws(StoreError)
    /// Makes a lifecycle action durable, then applies it.
    func commit(_ change: LifecycleChange) throws(StoreError)
}

extension Store: StagingStore {}

/// Runs a ``StoreJob`` on a store opened for writing, with the core's rules only: the hand-back
/// is SRV6.15.1 → ACB through the engine, the cease is ``OrganisationLifecycle``, a Recovery
/// Event is planned by ``RecoveryPlan``. Bulk work goes in groups, each staged then flushed,
/// and `progress` hears of a group only once it is durable; returning `false` from it stops
/// the run there.
public enum JobRunner {
    /// Requests per durable group.
    public static let defaultGroupSize = 500

    /// Runs a job.
    /// - Parameters:
    ///   - job: what to do.
    ///   - store: the store, opened for writing.
    ///   - groupSize: requests per group (one `fsync` each).
    ///   - workers: the threads each group's requests are evaluated on.
    ///   - now: the clock, read once per group and for the lifecycle action.
    ///   - credentials: the keys and certificates commands are signed and checked with.
    ///   - progress: called after each durable group; `false` stops after it.
    public static func run(
        _ job: StoreJob, on store: some StagingStore, groupSize: Int = defaultGroupSize,
        workers: Int = Speculation.onePerCore, now: () -> Timestamp,
        credentials: EstateCredentials, progress: (BulkProgress) -> Bool
    ) -> JobOutcome {
        var outcome = JobOutcome(job: job)
        switch job {
        case .lifecycle(let draft):
            runLifecycle(draft, on: store, groupSize: groupSize, workers: workers, now: now, credentials: credentials, progress: progress, into: &outcome)
        case .recovery(let draft):
            runRecovery(draft, on: store, groupSize: groupSize, workers: workers, now: now, credentials: credentials, progress: progress, into: &outcome)
        }
        return outcome
    }

    private static func runLifecycle(
        _ draft: LifecycleDraft, on store: some StagingStore, groupSize: Int, workers: Int, now: () -> Timestamp, credentials: EstateCredentials,
        progress: (BulkProgress) -> Bool, into outcome: inout JobOutcome
    ) {
        guard let organisation = store.estate.ledger.organisation(draft.organisation) else {
            outcome.failure = RequestError.unknownOrganisation(draft.organisation).description
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
                    certificates = try store.estate.ledger.resolveCertificates("acb")
                } catch {
                    outcome.failure = error.description
                    return
                }
                let pending = LifecycleDraft.handBackDevices(of: organisation.id, in: store.estate)
                guard confirmed(draft.confirmedDevices, matches: pending.count, into: &outcome) else { return }
                var bulk = BulkProgress(title: "Hand-back of \(organisation.id)'s devices to the ACB", total: pending.count)
                let stopped = runGroups(pending, on: store, groupSize: groupSize, workers: workers, now: now, credentials: credentials, progress: progress,
                                        bulk: &bulk, into: &outcome) { device in
                    .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                        sender: organisation.id, device: device, replacementCertificates: certificates))
                }
                outcome.bulk = bulk
                if stopped { return }
            }
        }
        let decision: LifecycleDecision
        do {
            decision = try OrganisationLifecycle.decide(draft.action, organisation: organisation.id, estate: store.estate, now: now())
        } catch {
            outcome.failure = error.description
            return
        }
        switch decision {
        case .unchanged(let detail):
            outcome.unchanged = detail
        case .change(let change):
            do {
                try store.commit(change)
                outcome.lifecycle = change.record
            } catch {
                outcome.failure = "the \(draft.action.rawValue) could not be made durable: \(error.description)"
            }
        }
    }

    private static func runRecovery(
        _ draft: RecoveryDraft, on store: some StagingStore, groupSize: Int, workers: Int, now: () -> Timestamp, credentials: EstateCredentials,
        progress: (BulkProgress) -> Bool, into outcome: inout JobOutcome
    ) {
        let plan: RecoveryPlan
        do {
            plan = try RecoveryPlan(estate: store.estate, filter: try DeviceFilter(parsing: draft.filter), replacement: draft.replacement)
        } catch {
            outcome.failure = error.description
            return
        }
        guard confirmed(draft.confirmedDevices, matches: plan.pending.count, into: &outcome) else { return }
        var bulk = BulkProgress(title: "Recovery Event (exceptional)", total: plan.pending.count, skipped: plan.skipped)
        _ = runGroups(plan.pending, on: store, groupSize: groupSize, workers: workers, now: now, credentials: credentials, progress: progress, bulk: &bulk, into: &outcome) { device in
            .recovery(RecoveryRequest(device: device, replacementCertificates: plan.certificates, newFloor: draft.newFloor,
                                      reason: draft.reason))
        }
        outcome.bulk = bulk
    }

    /// The store may have changed since the operator confirmed: then nothing is sent.
    private static func confirmed(_ confirmed: Int?, matches count: Int, into outcome: inout JobOutcome) -> Bool {
        guard let confirmed, confirmed != count else { return true }
        outcome.failure = "the store changed since you confirmed \(confirmed) device\(confirmed == 1 ? "" : "s"): \(count) now match; nothing was sent, review it again"
        return false
    }

    /// Sends one request per device, a group at a time. Returns whether it stopped early (asked
    /// to, or failed); `bulk` counts only durable requests.
    private static func runGroups(
        _ devices: [EUI64], on store: some StagingStore, groupSize: Int, workers: Int, now: () -> Timestamp, credentials: EstateCredentials,
        progress: (BulkProgress) -> Bool, bulk: inout BulkProgress, into outcome: inout JobOutcome,
        request: (EUI64) -> ServiceRequest
    ) -> Bool {
        let groupSize = max(1, groupSize)
        let prefetcher = WirePrefetcher.start(
            for: Array(devices[bulk.done...]), in: store.estate, credentials: credentials, groupSize: groupSize, request: request)
        defer { prefetcher?.stop() }
        while bulk.done < devices.count {
            let group = devices[bulk.done..<min(bulk.done + groupSize, devices.count)]
            let stamp = now()
            var succeeded = 0
            do {
                // Evaluated on every worker at once; applied one at a time in order.
                try Speculation.stageInOrder(group.map(request), estate: { store.estate }, now: stamp, credentials: credentials,
                                             workers: workers) { change in
                    try store.stage(change)
                    if change.ledger.request.outcome == .succeeded { succeeded += 1 }
                }
                try store.flush()
            } catch {
                outcome.failure = "stopped after \(bulk.done) durable request\(bulk.done == 1 ? "" : "s"): \(error)"
                return true
            }
            // Only now, with the group on disk, is it counted.
            bulk.done += group.count
            prefetcher?.finishedGroup()
            bulk.succeeded += succeeded
            bulk.rejected += group.count - succeeded
            if !progress(bulk), bulk.done < devices.count {
                outcome.interrupted = true
                return true
            }
        }
        return false
    }
}
