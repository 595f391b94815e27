/// The DCC's side of the world: organisations, certificates, the recorded-counter table,
/// counter history and the request log. Devices' own state is not here.
public struct Ledger: Sendable, Equatable {
    /// Organisations in their stable order.
    public private(set) var organisations: [Organisation]
    /// Certificates in their stable order.
    public private(set) var certificates: [Certificate]
    /// Data Management's new table: the highest counter per device's Network Operator cell.
    public private(set) var recordedCounters: RecordedCounters
    /// Every value recorded per device, oldest first (histories a store keeps on disk are read when asked for).
    public private(set) var counterHistory: CounterHistories
    /// The request log, oldest first (rows a store keeps on disk are read when asked for).
    public private(set) var requests: RequestLog
    /// The organisation lifecycle log (subscribe, cease, revoke; refusals too), oldest first.
    public private(set) var lifecycle: [LifecycleRecord]
    /// The schedule log: acknowledgements, cancellations and alerts of future-dated commands, oldest first.
    public private(set) var schedule: [ScheduleRecord]
    /// Every device alert that arrived, oldest first, processed or not.
    public private(set) var alerts: [ReceivedAlert]

    private var organisationPosition: [String: Int]
    private var certificatePosition: [String: Int]
    private var pendingByDevice: [EUI64: Int]
    private var lastScheduleByDevice: [EUI64: Int]
    private var processedAlerts: Set<String>

    /// Creates a ledger; organisation and certificate IDs must be unique (see ``Estate/validate()``).
    public init(
        organisations: [Organisation], certificates: [Certificate],
        recordedCounters: RecordedCounters = [:],
        counterHistory: CounterHistories = [:], requests: [RequestRecord] = [],
        lifecycle: [LifecycleRecord] = [], schedule: [ScheduleRecord] = [], alerts: [ReceivedAlert] = []
    ) {
        self.init(organisations: organisations, certificates: certificates, recordedCounters: recordedCounters,
                  counterHistory: counterHistory, requestLog: RequestLog(requests), lifecycle: lifecycle,
                  schedule: schedule, alerts: alerts)
    }

    /// Creates a ledger over a request log that may be kept on disk.
    public init(
        organisations: [Organisation], certificates: [Certificate], recordedCounters: RecordedCounters,
        counterHistory: CounterHistories, requestLog: RequestLog,
        lifecycle: [LifecycleRecord], schedule: [ScheduleRecord], alerts: [ReceivedAlert]
    ) {
        self.organisations = organisations
        self.certificates = certificates
        self.recordedCounters = recordedCounters
        self.counterHistory = counterHistory
        self.requests = requestLog
        self.lifecycle = lifecycle
        organisationPosition = Dictionary(organisations.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        certificatePosition = Dictionary(certificates.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.schedule = []
        self.alerts = alerts
        pendingByDevice = [:]
        lastScheduleByDevice = [:]
        processedAlerts = []
        for record in schedule { appendSchedule(record) }
    }

    /// The organisation with this ID.
    public func organisation(_ id: String) -> Organisation? {
        organisationPosition[id].map { organisations[$0] }
    }

    /// The certificate with this ID.
    public func certificate(_ id: String) -> Certificate? {
        certificatePosition[id].map { certificates[$0] }
    }

    /// The single organisation with a role (the ACB), if there is exactly one.
    public func soleOrganisation(withRole role: OrganisationRole) -> Organisation? {
        let matches = organisations.filter { $0.role == role }
        return matches.count == 1 ? matches[0] : nil
    }

    /// The organisation that owns a certificate.
    public func owner(ofCertificate id: String) -> Organisation? {
        certificate(id).flatMap { organisation($0.owner) }
    }

    /// The subject fields a device reads from a certificate.
    public func subject(ofCertificate id: String) -> CertificateSubject? {
        guard let certificate = certificate(id), let owner = organisation(certificate.owner) else { return nil }
        return CertificateSubject(
            certificateId: id, entityId: owner.entityId, role: owner.role, keyUsage: certificate.keyUsage)
    }

    /// The certificates an organisation owns, in stable order.
    public func certificates(ownedBy organisation: String) -> [Certificate] {
        certificates.filter { $0.owner == organisation }
    }

    /// Whether a Request ID has been used.
    public func hasUsed(requestId: String) -> Bool { requests.contains(requestId: requestId) }

    /// The most recent request for a device.
    public func lastRequest(for device: EUI64) -> RequestRecord? {
        requests.last(for: device)
    }

    /// The requests for one device, oldest first.
    public func requests(for device: EUI64) -> [RequestRecord] {
        requests.records(for: device)
    }

    /// The same request log, now read from `stored`, which holds exactly its rows (see ``RequestLog/keep(in:)``).
    public mutating func keepRequests(in stored: any StoredRequestRows) {
        requests.keep(in: stored)
    }

    /// This ledger with one organisation's last-used counter set to `counter`: what a request
    /// would see after others that each used that organisation's next counter (see
    /// `Estate.speculate` in GPFSimulator). Unknown organisations leave it unchanged.
    public func assuming(lastCounter counter: OriginatorCounter, of organisation: String) -> Ledger {
        guard let position = organisationPosition[organisation], organisations[position].lastCounter != counter else { return self }
        var assumed = self
        assumed.organisations[position].lastCounter = counter
        return assumed
    }

    /// Applies a committed change: the same call serves live processing and journal replay.
    public mutating func apply(_ change: LedgerChange) {
        for (id, counter) in change.organisationCounters {
            guard let position = organisationPosition[id] else { continue }
            organisations[position].lastCounter = max(organisations[position].lastCounter, counter)
        }
        if let entry = change.recorded { record(entry, for: change.request.device) }
        requests.append(change.request)
        if let step = change.schedule { appendSchedule(step) }
    }

    /// Applies a processed alert: its schedule log entry and any counter it recorded.
    public mutating func apply(_ change: ScheduleChange) {
        if let entry = change.recorded { record(entry, for: change.record.device) }
        appendSchedule(change.record)
    }

    /// The Data Management table keeps the highest value per device; the history keeps them all.
    private mutating func record(_ entry: CounterHistoryEntry, for device: EUI64) {
        recordedCounters.record(max(recordedCounters[device] ?? entry.counter, entry.counter), for: device)
        counterHistory.append(entry, for: device)
    }

    /// Takes in an alert that arrived; it waits in ``unprocessedAlerts`` until processed.
    public mutating func receive(_ alert: ReceivedAlert) {
        alerts.append(alert)
    }

    /// The future-dated command a device has acknowledged and not yet executed, failed or dropped.
    public func pendingCommand(for device: EUI64) -> ScheduleRecord? {
        pendingByDevice[device].map { schedule[$0] }
    }

    /// The newest schedule log entry for a device that is not an unverified alert.
    public func lastScheduleStep(for device: EUI64) -> ScheduleRecord? {
        lastScheduleByDevice[device].map { schedule[$0] }
    }

    /// Every pending future-dated command, soonest due first.
    public var pendingCommands: [ScheduleRecord] {
        pendingByDevice.values.map { schedule[$0] }.sorted { ($0.dueAt, $0.device) < ($1.dueAt, $1.device) }
    }

    /// Whether an alert (by its key, `device:alertCounter`) has been processed.
    public func hasProcessed(alert key: String) -> Bool { processedAlerts.contains(key) }

    /// Whether any alert that arrived is not yet processed (without listing them).
    public var hasUnprocessedAlerts: Bool {
        alerts.contains { !processedAlerts.contains($0.key) }
    }

    /// Alerts that arrived and are not yet processed, oldest first.
    public var unprocessedAlerts: [ReceivedAlert] {
        alerts.filter { !processedAlerts.contains($0.key) }
    }

    /// Applies a committed lifecycle action: the organisation's status, the certificates it
    /// issued or revoked, and the log entry.
    public mutating func apply(_ change: LifecycleChange) {
        if let position = organisationPosition[change.record.organisation] {
            organisations[position].dccUser = change.dccUser
            organisations[position].subscribed = change.subscribed
        }
        for certificate in change.certificates {
            if let position = certificatePosition[certificate.id] {
                certificates[position] = certificate
            } else {
                certificatePosition[certificate.id] = certificates.count
                certificates.append(certificate)
            }
        }
        lifecycle.append(change.record)
    }

    /// The organisation's successful Certificate Revocation Request, if it made one (FIA Req 5).
    public func revocationRequest(of organisation: String) -> LifecycleRecord? {
        lifecycle.first { $0.organisation == organisation && $0.action == .revoke && $0.outcome == .succeeded }
    }

    private mutating func appendSchedule(_ record: ScheduleRecord) {
        if let alert = record.alert { processedAlerts.insert(alert) }
        if record.event != .unverified { lastScheduleByDevice[record.device] = schedule.count }
        if record.event == .acknowledged {
            pendingByDevice[record.device] = schedule.count
        } else if record.closes, pendingByDevice[record.device].map({ schedule[$0].requestId == record.requestId }) == true {
            pendingByDevice[record.device] = nil
        }
        schedule.append(record)
    }

    public static func == (lhs: Ledger, rhs: Ledger) -> Bool {
        lhs.organisations == rhs.organisations && lhs.certificates == rhs.certificates
            && lhs.recordedCounters == rhs.recordedCounters && lhs.counterHistory == rhs.counterHistory
            && lhs.requests == rhs.requests && lhs.lifecycle == rhs.lifecycle && lhs.schedule == rhs.schedule
            && lhs.alerts == rhs.alerts
    }
}
