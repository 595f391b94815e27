import AnchorCore
import AnchorService
import AnchorStore
import Foundation
import GPFSimulator
import SMKI
#if canImport(Glibc)
import Glibc
#endif

/// Loads the store and commits requests for the runtime; tests can substitute their own.
/// Its work may run on the console's effect worker thread (``EffectWorker``), so its type is
/// usable from there.
public protocol StoreService: SendableMetatype {
    /// Loads the store read-only (creating it first from demo data if needed and allowed).
    func load() -> LoadResult
    /// Opens the store for writing, builds and evaluates the draft against it, commits, closes.
    func submit(_ draft: RequestDraft) -> RequestResult
    /// Something that changes whenever the store's files change, to notice other writers.
    func changeToken() -> String
    /// Opens the store for writing and runs a lifecycle action or Recovery Event (``AnchorService/ServiceSession/perform(_:progress:)``),
    /// calling `progress` after each durable group; `false` from it stops after that group.
    func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobReport
    /// Checks the audit chain from the store's files (`anchordesk audit verify`).
    func verifyAudit() -> AuditSummary
    /// The first screen's worth of a store too large to read in a moment, shown while
    /// ``load()`` reads it; `nil` when the store is small enough to wait for.
    func preview() -> StorePreview?
    /// The first page of a store too large to read in a moment whose devices can be read a
    /// page at a time (``DevicePaging``): the console then shows it a page at a time for good,
    /// and never reads it whole (``load()`` is not called); `nil` for any other store.
    func firstPage() -> DevicePage?
    /// Another page of such a store's devices, filtered and sorted.
    func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort) -> Result<DevicePage, StoreError>
    /// How many devices hold each organisation's certificates, from such a store's counts.
    func holdings() -> Result<OrganisationHoldings, StoreError>
    /// The devices an organisation's lifecycle dialog needs, from such a store's counts.
    func lifecycleCounts(_ organisation: String) -> Result<LifecycleCounts, StoreError>
    /// The Recovery Event a form describes, planned over the devices its filter selects by what
    /// holds them, for a console shown a page at a time: the DSP for a console on its operator
    /// API, or the store (a console holding the whole estate plans it over that).
    func planRecovery(_ form: RecoveryForm) -> Result<RecoveryPreview, RequestError>
    /// Lets such a store's due future-dated commands execute and their alerts be processed, when
    /// the store says any is due (``load()`` does this for a store read whole).
    func processDueAlerts() -> DueAlertsResult
    /// A report read from such a store in parts (``AnchorService/EstateService/counterRisk(filter:warn:_:)``),
    /// calling `progress` with the rows made so far every few thousand rows.
    func report(_ kind: ReportKind, asOf: Timestamp, progress: (Int) -> Void) -> Result<ReportSnapshot, ServiceError>
    /// The Digital Signing keys held for `ledger`'s organisations against its certificates (the
    /// launcher's dry run); `nil` when they cannot be read.
    func signingKeys(for ledger: Ledger) -> SigningKeyCheck?
    /// A simulated device's DS and KA certificates, issued by the store's Device CA (see `StoreService+DeviceCertificates.swift`).
    func deviceCertificates(_ device: EUI64) -> DeviceCertificateRows
}

extension StoreService {
    /// No preview: the console waits for the load.
    public func preview() -> StorePreview? { nil }
    /// No pages: the console shows the preview, or waits for the load.
    public func firstPage() -> DevicePage? { nil }
    public func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort) -> Result<DevicePage, StoreError> {
        .failure(notPaged)
    }
    public func holdings() -> Result<OrganisationHoldings, StoreError> { .failure(notPaged) }
    public func lifecycleCounts(_ organisation: String) -> Result<LifecycleCounts, StoreError> { .failure(notPaged) }
    public func planRecovery(_ form: RecoveryForm) -> Result<RecoveryPreview, RequestError> {
        .failure(.invalidRequest("a Recovery Event is planned over the estate this console holds"))
    }
    public func processDueAlerts() -> DueAlertsResult { .nothingDue }
    public func report(_ kind: ReportKind, asOf: Timestamp, progress: (Int) -> Void) -> Result<ReportSnapshot, ServiceError> {
        .failure(.store(notPaged))
    }
    /// No keys read: the dry run signs with demo keys only.
    public func signingKeys(for ledger: Ledger) -> SigningKeyCheck? { nil }
}

/// What an organisation's lifecycle dialog counts on a store shown a page at a time.
public struct LifecycleCounts: Sendable, Equatable {
    /// Devices holding any of its certificates in any cell.
    public var holding: Int
    /// Devices whose Network Operator cells hold its certificates (a hand-back's).
    public var handBack: Int

    /// Counts.
    public init(holding: Int, handBack: Int) {
        self.holding = holding
        self.handBack = handBack
    }
}

/// Why a page was not read from a store that is not read a page at a time.
private let notPaged = StoreError(code: .invalidArgument, message: "this store is not read a page at a time", path: nil)

/// The on-disk store, as the console uses it: read-only for browsing, briefly read-write per request.
public struct DiskStoreService: StoreService {
    /// The store's local directory (the DCC's keys; for PostgreSQL, this machine's copy).
    public var directory: String
    /// Where the store lives: the directory itself, or a database.
    public var backend: any StoreBackend
    /// How the use cases reach it (for a database: deciding per device).
    public var estateStore: any EstateStore
    /// Never create or write.
    public var readOnly: Bool
    /// The demo data to create a missing store from; `nil`: never create one.
    public var demoData: DemoData.Source?
    /// How long to wait for another writer's lock.
    public var lockTimeout: Duration
    /// Requests per durable group in bulk jobs.
    public var groupSize: Int
    /// The threads a bulk job's requests are evaluated on (`$ANCHORDESK_WORKERS`, else one per core).
    public var workers: Int
    /// A User key directory (`--keys` / `$ANCHORDESK_KEYS`), read before a demo store's own.
    public var userKeys: String?
    /// The PKCS#11 token holding the DCC's keys, if one does (`$ANCHORDESK_PKCS11_*`).
    public var keyToken: PKCS11Settings?
    /// The DSP's one clock (`$ANCHORDESK_NOW` or the system clock): due future-dated commands
    /// execute and their alerts are processed when a load or a write finds them due.
    public var clock: ServiceClock
    /// A store that can page (PostgreSQL) holding more devices than this is paged through
    /// while it is read (`$ANCHORDESK_PAGE_ABOVE`).
    public var pageAbove: Int

    /// Creates the service.
    public init(directory: String, readOnly: Bool, demoData: DemoData.Source?, lockTimeout: Duration = .seconds(2),
                groupSize: Int = ServiceSettings.defaultGroupSize, workers: Int = Speculation.onePerCore,
                userKeys: String? = nil, keyToken: PKCS11Settings? = nil, backend: (any StoreBackend)? = nil,
                estateStore: (any EstateStore)? = nil, pageAbove: Int = DiskStoreService.pageAboveDefault, clock: ServiceClock = .system) {
        let backend = backend ?? DirectoryStore(directory: directory)
        self.backend = backend
        self.estateStore = estateStore ?? BackendEstateStore(backend)
        self.userKeys = userKeys
        self.keyToken = keyToken
        self.pageAbove = pageAbove
        self.clock = clock
        self.directory = directory
        self.readOnly = readOnly
        self.demoData = demoData
        self.lockTimeout = lockTimeout
        self.groupSize = groupSize
        self.workers = workers
    }

    public func load() -> LoadResult {
        var notices: [String] = []
        if !((try? backend.exists()) ?? false) {
            if readOnly {
                return .failed("no store at \(directory), and --read-only does not create one; run 'anchordesk init --demo' or open without --read-only")
            }
            guard let demoData else {
                return .failed("no store at \(directory); create one with 'anchordesk init --demo'")
            }
            do {
                let estate = try DemoData.load(demoData, now: clock.now())
                try backend.create(with: estate, replacingExisting: false)
                try CredentialVault(storeDirectory: directory).recordDemoUserKeys(
                    UserKeyDirectory(path: directory + "/" + UserKeyDirectory.demoFolderName))
                notices.append("First run: created this store from \(demoData) (\(estate.devices.count) devices)")
            } catch {
                return .failed("cannot create the store: \(error.description)")
            }
        }
        func joined(_ lines: [String]) -> String? { lines.isEmpty ? nil : lines.joined(separator: "; ") }
        do {
            let store = try backend.open(access: .readOnly)
            defer { store.close() }
            // The status line is one row: a torn tail is said in its short form.
            var warnings = store.warnings
            if let offset = store.ignoredTornTailOffset {
                let long = Store.tornTailWarning(journalPath: Store.path(directory, Store.journalName), offset: offset,
                                                 length: store.ignoredTornTailBytes)
                warnings = warnings.map { $0 == long ? "\(Store.journalName) byte \(offset): unfinished record left out; the next write cuts it" : $0 }
            }
            if !readOnly, store.estate.hasDueAlertWork(at: clock.now()) {
                // Due future-dated commands: let the devices act, then show the store as it is now.
                switch deliverDueAlerts() {
                case .delivered(let estate, let summary):
                    return .loaded(estate, notice: joined(notices + (summary.map { [$0] } ?? [])), warning: joined(warnings))
                case .failed(let reason): warnings.append("due alerts were not processed: \(reason)")
                }
            }
            return .loaded(store.estate, notice: joined(notices), warning: joined(warnings))
        } catch {
            return .failed(error.description)
        }
    }

    /// What processing due alerts from a load did.
    private enum Delivery {
        case delivered(Estate, summary: String?)
        case failed(String)
    }

    /// The DSP's use cases over this store, as the console asks for them.
    private func service(lockTimeout: Duration) -> EstateService {
        EstateService(store: estateStore, clock: clock,
                      settings: ServiceSettings(userKeys: userKeys, keyToken: keyToken, lockTimeout: lockTimeout, workers: workers,
                                                groupSize: groupSize))
    }

    /// The whole estate after a session's work: the writer's own, when it holds the whole
    /// estate; `nil` when it does not (a database's writer holds only what it decided on), and
    /// the console reads again what it shows.
    private func estate(after session: ServiceSession) -> Estate? {
        session.writer is any WholeEstateWriter ? session.estate : nil
    }

    /// The store read whole (a database's: this machine's copy brought up to date).
    private static func read(_ backend: any StoreBackend) throws(ServiceError) -> Estate {
        do {
            let store = try backend.open(access: .readOnly)
            defer { store.close() }
            return store.estate
        } catch {
            throw .store(error)
        }
    }

    /// Opens the store for writing just to let due commands execute and process their alerts.
    /// It waits briefly for the lock: another writer processes them itself when it opens.
    private func deliverDueAlerts() -> Delivery {
        do throws(ServiceError) {
            let session = try service(lockTimeout: min(lockTimeout, .milliseconds(200))).openSession()
            defer { session.close() }
            let now: Estate
            if let whole = estate(after: session) { now = whole } else { now = try Self.read(backend) }
            return .delivered(now, summary: session.openingAlerts.isEmpty ? nil : session.openingAlerts.summary)
        } catch {
            return .failed(error.description)
        }
    }

    public func submit(_ draft: RequestDraft) -> RequestResult {
        guard !readOnly else { return .notSent("the console is read-only (--read-only)") }
        let session: ServiceSession
        do {
            session = try service(lockTimeout: lockTimeout).openSession()
        } catch {
            return .notSent(error.description)
        }
        defer { session.close() }
        let submission: Submission
        do throws(ServiceError) {
            submission = try session.submit { ledger throws(RequestError) in try draft.serviceRequest(ledger: ledger) }
        } catch {
            switch error {
            case .notAcknowledged(let failure, _): return .notSent("the request could not be made durable: \(failure.description)")
            default: return .notSent(error.description)
            }
        }
        return .processed(submission.record, estate(after: session))
    }

    public func signingKeys(for ledger: Ledger) -> SigningKeyCheck? {
        try? CredentialVault(storeDirectory: directory, userKeys: userKeys).signingKeyCheck(for: ledger, keyToken: keyToken)
    }

    public func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobReport {
        var outcome = JobOutcome(job: job)
        guard !readOnly else {
            outcome.failure = "the console is read-only (--read-only); nothing was sent"
            return JobReport(outcome: outcome, estate: nil)
        }
        let session: ServiceSession
        do {
            session = try service(lockTimeout: lockTimeout).openSession()
        } catch {
            outcome.failure = "nothing was sent: \(error.description)"
            return JobReport(outcome: outcome, estate: nil)
        }
        defer { session.close() }
        outcome = session.perform(job, progress: progress)
        // `nil`: the console reads the store again.
        return JobReport(outcome: outcome, estate: outcome.failure == nil ? estate(after: session) : nil)
    }

    /// Checks the store's records as they are now: the store directory, or a fresh copy of a
    /// database's records (this machine's copy may be behind, and a console shown a page at a
    /// time has none).
    public func verifyAudit() -> AuditSummary {
        do {
            return try estateStore.withStoreFiles { AuditSummary.verify(directory: $0) }
        } catch {
            return AuditSummary(intact: false, problem: "could not check: \(error)")
        }
    }

    /// Planned over the devices the form's filter selects, read from the store as a writer
    /// reads them (``AnchorService/ServiceSession/selection(_:)``), for a console shown a page at a time.
    public func planRecovery(_ form: RecoveryForm) -> Result<RecoveryPreview, RequestError> {
        do throws(RequestError) {
            let checked = try form.checked()
            let selection: Estate
            do throws(ServiceError) {
                let session = try service(lockTimeout: lockTimeout).openSession()
                defer { session.close() }
                selection = try session.selection(checked.parsed)
            } catch {
                throw .invalidRequest("the devices could not be read: \(error.description)")
            }
            return .success(try form.preview(selection))
        } catch {
            return .failure(error)
        }
    }

    /// Snapshots larger than this (about 500,000 devices) are previewed while they are read.
    static let previewAbove = 64 << 20

    public func preview() -> StorePreview? {
        var info = stat()
        guard stat(Store.path(directory, Store.snapshotName), &info) == 0, Int(info.st_size) > Self.previewAbove else { return nil }
        return StorePreview.read(directory: directory, devices: Self.previewDevices)
    }

    /// Enough devices for the tallest screen.
    static let previewDevices = 500

    /// Stores of more devices than this are paged through while they are read (a million
    /// devices take about a second to read).
    public static let pageAboveDefault = 500_000

    public func firstPage() -> DevicePage? {
        guard let pager = backend as? any DevicePaging, let count = try? pager.deviceCount(), count > pageAbove else { return nil }
        return try? pager.page(.first, filter: .all, sort: DeviceSort(), limit: Self.previewDevices)
    }

    public func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort) -> Result<DevicePage, StoreError> {
        guard let pager = backend as? any DevicePaging else { return .failure(notPaged) }
        do throws(StoreError) {
            return .success(try pager.page(start, filter: filter, sort: sort, limit: Self.previewDevices))
        } catch {
            return .failure(error)
        }
    }

    public func holdings() -> Result<OrganisationHoldings, StoreError> {
        guard let pager = backend as? any DevicePaging else { return .failure(notPaged) }
        do throws(StoreError) {
            return .success(OrganisationHoldings(counts: try pager.holdings()))
        } catch {
            return .failure(error)
        }
    }

    public func lifecycleCounts(_ organisation: String) -> Result<LifecycleCounts, StoreError> {
        guard let pager = backend as? any DevicePaging else { return .failure(notPaged) }
        do throws(StoreError) {
            let held = try pager.page(.first, filter: DeviceFilter(terms: [.networkOperator(organisation)]), sort: DeviceSort(), limit: 0)
            return .success(LifecycleCounts(holding: try pager.holdings()[organisation] ?? 0, handBack: held.matching))
        } catch {
            return .failure(error)
        }
    }

    public func processDueAlerts() -> DueAlertsResult {
        guard !readOnly, let pager = backend as? any DevicePaging else { return .nothingDue }
        do throws(ServiceError) {
            do {
                guard try pager.hasDueAlertWork(at: clock.now()) else { return .nothingDue }
            } catch {
                throw .store(error)
            }
            // Opening a writer lets them execute (``EstateService/openSession(processingDueAlerts:lockTimeout:)``);
            // it waits briefly for the devices: another writer processes them itself.
            let session = try service(lockTimeout: min(lockTimeout, .milliseconds(200))).openSession()
            defer { session.close() }
            return .processed(summary: session.openingAlerts.isEmpty ? nil : session.openingAlerts.summary)
        } catch {
            return .failed(error.description)
        }
    }

    public func report(_ kind: ReportKind, asOf: Timestamp, progress: (Int) -> Void) -> Result<ReportSnapshot, ServiceError> {
        let service = service(lockTimeout: lockTimeout)
        var made = 0
        func count() {
            made += 1
            if made % Self.reportProgressStep == 0 { progress(made) }
        }
        do throws(ServiceError) {
            switch kind {
            case .counterRisk:
                var rows: [CounterRiskReport.Row] = []
                try service.counterRisk(warn: { _ in }) { row in
                    rows.append(row)
                    count()
                }
                return .success(ReportSnapshot(kind: kind, counterRisk: CounterRiskReport(rows: rows)))
            case .postCommissioning:
                var rows: [PostCommissioningReport.Row] = []
                let totals = try service.postCommissioning(asOf: asOf, warn: { _ in }) { row in
                    rows.append(row)
                    count()
                }
                return .success(ReportSnapshot(kind: kind, postCommissioning: PostCommissioningReport(asOf: asOf, rows: rows, totals: totals)))
            }
        } catch {
            return .failure(error)
        }
    }

    /// Rows a report makes between two progress calls.
    static let reportProgressStep = 20_000

    public func changeToken() -> String {
        backend.changeToken()
    }
}
