import AnchorCore
import AnchorService
import AnchorStore
import PostgresNIO

/// A writer on a PostgreSQL store that decides per device: it reads and locks only the rows a
/// decision reads (``prepare(devices:counterOwners:)``: the devices, their histories and the
/// records since, the counters it uses), and makes what it stages durable in one transaction
/// (``flush()``: `append_decided` gives the records their places in the audit chain last).
/// No other writer waits for it unless it needs the same device or counter.
final class PostgresEstateWriter: EstateWriter {
    private let session: PostgresSession
    private let shown: String
    private let lockTimeout: Duration
    private var head = PostgresLedgerHead()
    /// The records up to this sequence are in `anchordesk.device_history`.
    private let historySequence: UInt64
    private(set) var estate: Estate
    private(set) var warnings: [String]
    private var staged: [UnsequencedRecord] = []
    private var inTransaction = false
    /// The device IDs and counter owners the open transaction (if any) locked and read.
    private var held: (devices: Set<String>, owners: Set<String>) = ([], [])
    private var failure: StoreError?
    /// The devices of the last selection with a command the DCC knows is pending.
    private var scheduled: Set<EUI64> = []

    /// Opens a writer over a session that has passed the schema and grant checks.
    init(session: PostgresSession, warnings: [String], lockTimeout: Duration) throws(StoreError) {
        self.session = session
        self.warnings = warnings
        self.lockTimeout = lockTimeout
        shown = session.location.shown
        historySequence = try PostgresDeviceHistory.sequence(over: session)
        estate = Estate(ledger: Ledger(organisations: [], certificates: []), devices: DeviceTable())
        estate = Estate(ledger: try headLedger(lockedCounters: [:]), devices: DeviceTable())
    }

    // MARK: Deciding

    func prepare(devices: [EUI64], counterOwners: [String]) throws(StoreError) {
        try checkUsable()
        guard staged.isEmpty else {
            throw StoreError.invalidArgument("records were staged and not made durable before the next decision", path: shown)
        }
        let ids = Array(Set(devices.map(\.description))).sorted()
        let owners = Array(Set(counterOwners)).sorted()
        // Rows the open transaction holds already stay held, as read: a decision checked against
        // them and then staged (a bulk group from the operator API) must not let another writer
        // use its counters in between.
        if inTransaction, held.devices.isSuperset(of: ids), held.owners.isSuperset(of: owners) { return }
        try endTransaction()
        try session.run("begin")
        inTransaction = true
        do throws(StoreError) {
            let milliseconds = PostgresLockTimeout.milliseconds(lockTimeout)
            try session.run(PostgresQuery(unsafeSQL: "set local lock_timeout = '\(milliseconds)ms'"))
            // The rows are locked first, then read in a statement of their own: a row that another
            // writer changed while this one waited for it is given back by `lock_devices` joined to
            // the cell set it had before, which no longer matches it, so the row would be missing.
            _ = try session.value("select count(*)::bigint from anchordesk.lock_devices(\(ids))", as: Int64.self)
            let locked = Dictionary(uniqueKeysWithValues: try session.rows("select organisation, last_counter from anchordesk.lock_counters(\(owners))") {
                try $0.decode((String, String).self)
            })
            try head.refresh(session, shown: shown)
            let rows = try PostgresDeviceHistory.states(ids, over: session, shownAs: shown)
            var part = try PostgresDeviceHistory.estate(of: rows, head: head.head!.ledger, historySequence: historySequence,
                                                        over: session, shownAs: shown)
            part.ledger = try PostgresLedgerHead.withLastCounters(part.ledger, over: session, locked: locked)
            estate = part
            held = (Set(ids), Set(owners))
        } catch {
            try? session.run("rollback")
            inTransaction = false
            throw error
        }
    }

    func release() {
        guard staged.isEmpty, inTransaction else { return }
        try? session.run("rollback")
        inTransaction = false
    }

    /// Ends a transaction that staged nothing (a decision that wrote nothing).
    private func endTransaction() throws(StoreError) {
        guard inTransaction else { return }
        try session.run("rollback")
        inTransaction = false
    }

    /// The organisations (with their last counters), certificates and lifecycle log.
    private func headLedger(lockedCounters: [String: String]) throws(StoreError) -> Ledger {
        try head.refresh(session, shown: shown)
        let ledger = head.head!.ledger
        return try PostgresLedgerHead.withLastCounters(ledger, over: session, locked: lockedCounters)
    }

    // MARK: Making durable

    func stage(_ change: EstateChange) throws(StoreError) {
        try checkUsable()
        staged += UnsequencedRecord.records(for: change)
        estate.apply(change)
    }

    func stage(_ arrival: AlertArrival) throws(StoreError) {
        try checkUsable()
        staged.append(UnsequencedRecord(arrival))
        estate.apply(arrival)
    }

    func stage(_ change: ScheduleChange) throws(StoreError) {
        try checkUsable()
        staged.append(UnsequencedRecord(change))
        estate.apply(change)
    }

    func flush() throws(StoreError) {
        try checkUsable()
        guard !staged.isEmpty else { return try endTransaction() }
        if !inTransaction {
            try session.run("begin")
            inTransaction = true
        }
        let kinds = staged.map(\.kind)
        let canonicals = staged.map { String(decoding: $0.canonical, as: UTF8.self) }
        let bodies = staged.map { String(decoding: $0.body, as: UTF8.self) }
        do throws(StoreError) {
            let outcome = try session.value("select anchordesk.append_decided(\(kinds), \(canonicals), \(bodies))", as: String.self) ?? ""
            guard outcome.hasPrefix("appended ") else {
                throw StoreError(code: .io, message: "PostgreSQL answered '\(DisplaySafeText.sanitize(outcome))' to a commit", path: shown)
            }
            try session.run("commit")
            inTransaction = false
            staged.removeAll(keepingCapacity: true)
        } catch {
            if inTransaction { try? session.run("rollback") }
            inTransaction = false
            failure = error
            throw error
        }
    }

    func commit(_ change: EstateChange) throws(StoreError) {
        try stage(change)
        try flush()
    }

    func commit(_ change: LifecycleChange) throws(StoreError) {
        try checkUsable()
        staged.append(UnsequencedRecord(change))
        try flush()
        estate.apply(change)
    }

    func compactIfDue() throws(StoreError) -> Bool { false }

    func close() {
        if inTransaction { try? session.run("rollback") }
        session.close()
    }

    private func checkUsable() throws(StoreError) {
        if let failure {
            throw StoreError(code: failure.code, message: "the writer stopped after an earlier write failed (\(failure.message)); open the store again",
                             path: shown)
        }
    }

    // MARK: Estate-wide questions, answered by the database

    func selection(_ filter: DeviceFilter) throws(StoreError) -> Estate {
        let ledger = try headLedger(lockedCounters: [:])
        let query = PostgresDevicePageQuery.devices(
            matching: PostgresDevicePageQuery.FilterTerms(filter, head: head.head!),
            columns: """
                jsonb_strip_nulls(jsonb_build_object('id', d.id, 'type', d.type, 'supplier', d.supplier,
                    'commissionedAt', d.commissioned_at, 'cells', c.cells, 'floors', d.floors, 'pending', d.pending,
                    'lastAlertCounter', d.last_alert_counter))::text, r.counter::text, d.scheduled is not null
                """,
            joining: "join anchordesk.cell_sets c on c.number = d.cell_set")
        let shown = shown
        let rows = try session.rows(query) { row in
            try row.decode((String, String?, Bool).self)
        }
        var devices: [Device] = []
        var recorded: [EUI64: OriginatorCounter] = [:]
        var scheduled: Set<EUI64> = []
        for (state, counter, isScheduled) in rows {
            let device = try DeviceStateCoding.decode(Array(state.utf8), shownAs: shown)
            if let counter, let value = UInt64(counter) { recorded[device.id] = OriginatorCounter(value) }
            if isScheduled { scheduled.insert(device.id) }
            devices.append(device)
        }
        let withCounters = Ledger(organisations: ledger.organisations, certificates: ledger.certificates, recordedCounters: RecordedCounters(recorded),
                                  counterHistory: [:], requests: [], lifecycle: ledger.lifecycle, schedule: [], alerts: [])
        self.scheduled = scheduled
        // The rows match already; matched again against the ledger the decisions read, as a store directory does.
        return Estate(ledger: withCounters, devices: DeviceTable(devices.filter { filter.matches($0, in: withCounters) }))
    }

    func hasScheduledCommand(_ device: EUI64) -> Bool {
        scheduled.contains(device)
    }

    func nearMiss(of id: EUI64) throws(StoreError) -> EUI64? {
        let candidates = id.nearMisses.map(\.description)
        let found = try session.value("""
            select id from anchordesk.devices where id in (select unnest(\(candidates)::text[]) collate "C") order by id limit 1
            """, as: String.self)
        return found.flatMap { EUI64($0) }
    }

    func devicesHolding(certificatesOf organisation: String) throws(StoreError) -> Int {
        let certificates = try headLedger(lockedCounters: [:]).certificates(ownedBy: organisation).map(\.id)
        guard !certificates.isEmpty else { return 0 }
        return Int(try session.value("""
            select coalesce(sum(c.devices), 0)::bigint from anchordesk.cell_sets c
            where exists (select 1 from jsonb_each_text(c.cells) cell where cell.value = any(\(certificates)))
            """, as: Int64.self) ?? 0)
    }

    func dueAlertWork(at now: Timestamp) throws(StoreError) -> (due: [EUI64], waiting: [EUI64]) {
        let due = try session.rows("select id::text from anchordesk.devices where due_at <= \(now.description) order by id") {
            try $0.decode(String.self)
        }
        let waiting = try session.rows("select id::text from anchordesk.devices where alerts_waiting > 0 order by id") {
            try $0.decode(String.self)
        }
        return (due.compactMap(EUI64.init), waiting.compactMap(EUI64.init))
    }
}
