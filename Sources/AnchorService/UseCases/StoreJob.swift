import AnchorCore

/// Work that writes to the store beyond a single request: a lifecycle action (with an optional
/// hand-back first) or a Recovery Event over a filter.
public enum StoreJob: Hashable, Sendable {
    /// Subscribe, cease (optionally handing its devices back first) or revoke.
    case lifecycle(LifecycleDraft)
    /// A Recovery Event over a filter.
    case recovery(RecoveryDraft)
    /// SRV6.15.1 or SRV6.21 to devices the operator marked, as one job.
    case requests(MarkedRequestsDraft)

    /// The confirmed number of devices the bulk part addresses, if it has one.
    public var confirmedDevices: Int? {
        switch self {
        case .lifecycle(let draft): draft.handBack ? draft.confirmedDevices : nil
        case .recovery(let draft): draft.confirmedDevices
        case .requests(let draft): draft.targets.count
        }
    }
}

/// A lifecycle action as confirmed in the console.
public struct LifecycleDraft: Hashable, Sendable {
    /// Subscribe, cease or revoke.
    public var action: OrganisationAction
    /// The organisation's ID.
    public var organisation: String
    /// Cease only: first send SRV6.15.1 → ACB to every GPF whose NO cell holds its certificate.
    public var handBack: Bool
    /// How many devices the operator confirmed the hand-back for; the run stops if the store now differs.
    public var confirmedDevices: Int?

    /// Creates a draft.
    public init(action: OrganisationAction, organisation: String, handBack: Bool = false, confirmedDevices: Int? = nil) {
        self.action = action
        self.organisation = organisation
        self.handBack = handBack
        self.confirmedDevices = confirmedDevices
    }

    /// The devices a hand-back addresses: GPFs whose Network Operator cell holds the organisation's
    /// certificate (`no=ORG`, as `anchordesk org cease --hand-back` chooses them).
    public static func handBackDevices(of organisation: String, in estate: Estate) -> [EUI64] {
        let filter = DeviceFilter(terms: [.networkOperator(organisation)])
        return estate.deviceIDs(matching: filter)
    }
}

/// A Recovery Event as confirmed in the console: the same parameters as `anchordesk recovery`.
public struct RecoveryDraft: Hashable, Sendable {
    /// The device filter expression.
    public var filter: String
    /// The replacement specification (`acb`).
    public var replacement: String
    /// The NO floor the devices take, and that is recorded.
    public var newFloor: OriginatorCounter
    /// Why; kept in the request log and the audit trail.
    public var reason: String
    /// How many devices the operator confirmed by typing the count.
    public var confirmedDevices: Int

    /// Creates a draft.
    public init(filter: String, replacement: String = "acb", newFloor: OriginatorCounter, reason: String, confirmedDevices: Int) {
        self.filter = filter
        self.replacement = replacement
        self.newFloor = newFloor
        self.reason = reason
        self.confirmedDevices = confirmedDevices
    }
}

/// SRV6.15.1 or SRV6.21 to devices marked in the console, as the launcher offers them for one:
/// a hand-back to the ACB by the GNO whose certificate is in their NO cells, or a handover to an
/// incoming GNO requested by each device's own Supplier.
public struct MarkedRequestsDraft: Hashable, Sendable {
    /// A marked device and its Responsible Supplier as the console showed it (the engine
    /// refuses a 6.21 from any other Supplier).
    public struct Target: Hashable, Sendable {
        public var device: EUI64
        public var supplier: String

        /// Creates a target.
        public init(device: EUI64, supplier: String) {
            self.device = device
            self.supplier = supplier
        }
    }

    /// 6.15.1 or 6.21.
    public var service: ServiceName
    /// The devices, in the order sent.
    public var targets: [Target]
    /// 6.15.1: the GNO handing back (its key signs every command); 6.21: the incoming GNO.
    public var networkOperator: String
    /// 6.21: skip the recorded-counter rule (legacy behaviour).
    public var legacyCounters: Bool

    /// Creates a draft.
    public init(service: ServiceName, targets: [Target], networkOperator: String, legacyCounters: Bool = false) {
        self.service = service
        self.targets = targets
        self.networkOperator = networkOperator
        self.legacyCounters = legacyCounters
    }

    /// The requests, one per device, with the ACB's certificates resolved against a ledger.
    /// - Throws: ``RequestError`` when the ACB's certificates cannot be named, or for a Recovery Event.
    public func requests(ledger: Ledger) throws(RequestError) -> [ServiceRequest] {
        switch service {
        case .updateSecurityCredentials:
            let certificates = try ledger.resolveCertificates("acb")
            return targets.map { target in
                .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                    sender: networkOperator, device: target.device, replacementCertificates: certificates))
            }
        case .requestHandover:
            return targets.map { target in
                .requestHandover(HandoverRequest(supplier: target.supplier, device: target.device, networkOperator: networkOperator,
                                                 legacyCounters: legacyCounters))
            }
        case .recovery:
            throw .invalidRequest("a Recovery Event is run with 'anchordesk recovery', not on marked devices")
        }
    }
}

/// How far a bulk run has got. Counts only what is durable: the runtime hears of a group after its flush.
public struct BulkProgress: Hashable, Sendable {
    /// What is running, for the progress dialog's title.
    public var title: String
    /// Devices to send to.
    public var total: Int
    /// Devices sent to, all durable.
    public var done: Int = 0
    /// Of those, succeeded.
    public var succeeded: Int = 0
    /// Of those, rejected.
    public var rejected: Int = 0
    /// Matching devices skipped as already done.
    public var skipped: Int = 0
    /// The operator asked to stop after the current group.
    public var stopping = false

    /// Creates progress at the start of a run.
    public init(title: String, total: Int, skipped: Int = 0) {
        self.title = title
        self.total = total
        self.skipped = skipped
    }
}

extension BulkProgress {
    /// Shows what a run has made durable: whatever did not succeed counts as rejected.
    public mutating func show(_ tally: BulkTally) {
        done = tally.done
        succeeded = tally.succeeded
        rejected = tally.done - tally.succeeded
    }
}

/// What a job came to, for the outcome dialog.
public struct JobOutcome: Hashable, Sendable {
    /// The job.
    public var job: StoreJob
    /// The bulk part, if there was one.
    public var bulk: BulkProgress?
    /// Stopped by the operator (Esc, Ctrl-C) or a signal before every device was sent.
    public var interrupted = false
    /// The committed lifecycle record (succeeded or refused).
    public var lifecycle: LifecycleRecord?
    /// Nothing to do: the organisation was already in the asked-for state.
    public var unchanged: String?
    /// Why the job stopped without finishing: bad input, the store changed, a write failed.
    public var failure: String?
    /// Something to mention that did not stop the job (a compaction that failed).
    public var warning: String?

    /// Creates an outcome.
    public init(job: StoreJob) {
        self.job = job
    }
}

/// A finished job and the estate afterwards (`nil`: reload it from disk).
public struct JobReport: Sendable {
    /// What happened.
    public var outcome: JobOutcome
    /// The store's estate after the job, when it is known to match the disk.
    public var estate: Estate?

    /// Creates a report.
    public init(outcome: JobOutcome, estate: Estate?) {
        self.outcome = outcome
        self.estate = estate
    }
}
