import AnchorCore
import AnchorStore
import NIOCore
import PostgresNIO

/// `anchordesk.devices` and `anchordesk.cell_sets` (schema version 2, whole states since version
/// 3): every device's latest state, one row each, for consoles that page through an estate of
/// millions (``PostgresDevicePages``) and for writers that decide on a few devices
/// (``PostgresEstateWriter``). A device names a shared cell set by number, as the snapshot's
/// rows do (``CellSetNumbering``); each cell set counts its devices, so counting an
/// organisation's devices reads a few rows. With them: each device's history
/// (`anchordesk.device_history`) and each organisation's last counter. Filled here once, by
/// `COPY`; after that `append_decided` applies every record it writes.
enum PostgresDeviceTable {

    /// The devices' indexes, as the current schema has them: by ID (the order pages are read in)
    /// and ``networkOperatorIndex``. A store is filled (``fill(_:lastSequence:over:)``) only at
    /// the current schema version, so these are the definitions it ends with.
    static let indexes = [
        "alter table anchordesk.devices add constraint devices_pkey primary key (id)",
        networkOperatorIndex,
    ]

    /// Devices by the certificate in the Network Operator DS cell then ID (`no=ORG` pages, and
    /// the ACB's GPFs for counter-risk), holding each device's type and Supplier since schema
    /// version 6 (before: the certificate and ID only).
    static let networkOperatorIndex = """
        create index devices_by_network_operator on anchordesk.devices (network_operator_ds, id) include (type, supplier)
        """

    /// Drops an index of ``indexes`` before a bulk load (loading first and indexing after is
    /// several times faster than keeping the index up to date row by row).
    private static let dropIndexes = [
        "alter table anchordesk.devices drop constraint devices_pkey",
        "drop index anchordesk.devices_by_network_operator",
    ]

    /// Every cell set's cells by number, as ``AnchorStore/DeviceRowText/json(_:)-(TrustAnchorCells)`` reads them (a few dozen rows).
    static func cellSets(over session: PostgresSession) throws(StoreError) -> [Int: String] {
        Dictionary(uniqueKeysWithValues: try session.rows("select number, cells::text from anchordesk.cell_sets") {
            let (number, cells) = try $0.decode((Int32, String).self)
            return (Int(number), cells)
        })
    }

    /// Fills the tables from an estate (inside the caller's transaction, with the writer lock held
    /// or the store being made): every device, its cell set, last request and recorded counter.
    /// - Parameter lastSequence: the estate's last record, named as where its recorded counters came from.
    static func fill(_ estate: Estate, lastSequence: UInt64, over session: PostgresSession) throws(StoreError) {
        let long = PostgresSession.bulkAnswerTimeout
        try session.run("delete from anchordesk.devices", timeout: long)
        try session.run("delete from anchordesk.cell_sets")
        try session.run("delete from anchordesk.device_history", timeout: long)
        try session.run("delete from anchordesk.organisation_counters")
        for statement in dropIndexes { try session.run(PostgresQuery(unsafeSQL: statement), timeout: long) }

        let numbering = CellSetNumbering(estate.devices)
        for (number, cells) in numbering.sets.enumerated() {
            let count = Int64(numbering.counts[number])
            try session.run("insert into anchordesk.cell_sets (number, cells, devices) values (\(number), \(DeviceRowText.json(cells))::jsonb, \(count))")
        }
        let ledger = estate.ledger
        let devices = estate.devices
        // The driver quotes the table's name whole, so it is named on the search path.
        try session.run("set local search_path = anchordesk, pg_catalog")
        let waiting = Dictionary(grouping: ledger.unprocessedAlerts, by: \.device).mapValues(\.count)
        try session.copy(into: "devices",
                         columns: ["id", "type", "supplier", "commissioned_at", "cell_set", "network_operator_ds", "last_request",
                                   "floors", "pending", "last_alert_counter", "due_at", "scheduled", "alerts_waiting"]) { line, index in
            guard index < devices.count else { return false }
            let device = devices[index]
            let row = DeviceRowText(device, cellSet: numbering.numbers[index], lastRequest: ledger.lastRequest(for: device.id),
                                    recordedCounter: nil)
            let state = DeviceStateText(device)
            line.field(row.id)
            line.field(row.type)
            line.field(row.supplier)
            line.field(row.commissionedAt)
            line.field(String(row.cellSet))
            line.field(device.cells[.networkOperatorDS])
            line.field(row.lastRequest)
            line.field(state.floors)
            line.field(state.pending)
            line.field(device.lastAlertCounter?.description)
            line.field(device.pending?.dueAt.description)
            line.field(ledger.pendingCommand(for: device.id)?.requestId)
            line.field(String(waiting[device.id] ?? 0), last: true)
            return true
        }
        // Each history with its device's row as it is now (none for a history of no device).
        let histories = DeviceHistory.histories(in: ledger).sorted { $0.key < $1.key }
        try session.copy(into: "device_history", columns: ["device", "history", "type", "supplier", "commissioned_at", "cell_set"]) { line, index in
            guard index < histories.count else { return false }
            let position = estate.devices.position(of: histories[index].key)
            let row = position.map { DeviceRowText(devices[$0], cellSet: numbering.numbers[$0], lastRequest: nil, recordedCounter: nil) }
            line.field(histories[index].key.description)
            line.field(String(decoding: histories[index].value.encoded(), as: UTF8.self))
            line.field(row?.type)
            line.field(row?.supplier)
            line.field(row?.commissionedAt)
            line.field(row.map { String($0.cellSet) }, last: true)
            return true
        }
        for organisation in ledger.organisations {
            try session.run("""
                insert into anchordesk.organisation_counters (organisation, last_counter)
                values (\(organisation.id), \(organisation.lastCounter.description)::numeric)
                """)
        }
        try session.run("update anchordesk.head set history_sequence = \(String(lastSequence))::numeric")
        try fillSnapshotLifecycle(ledger.lifecycle, over: session)

        try session.run("create temporary table filled_counters (device text, counter numeric(20,0)) on commit drop")
        let recorded = Array(ledger.recordedCounters)
        try session.copy(into: "filled_counters", columns: ["device", "counter"]) { line, index in
            guard index < recorded.count else { return false }
            line.field(recorded[index].device.description)
            line.field(recorded[index].counter.description, last: true)
            return true
        }
        try session.run("""
            insert into anchordesk.recorded_counters (device, counter, sequence)
            select device, counter, \(String(lastSequence))::numeric from filled_counters
            on conflict (device) do update set counter = greatest(recorded_counters.counter, excluded.counter)
            """, timeout: long)

        try session.run("set local maintenance_work_mem = '1GB'")
        for statement in indexes { try session.run(PostgresQuery(unsafeSQL: statement), timeout: long) }
        try session.run("analyze anchordesk.devices", timeout: long)
    }

    /// Fills `anchordesk.snapshot_lifecycle` with the lifecycle records the snapshot holds: the
    /// estate's log without those committed since the snapshot (they are in `anchordesk.changes`,
    /// and the log is in the order they were committed).
    private static func fillSnapshotLifecycle(_ lifecycle: [LifecycleRecord], over session: PostgresSession) throws(StoreError) {
        try session.run("delete from anchordesk.snapshot_lifecycle")
        let since = Int(try session.value("""
            select count(*)::bigint from anchordesk.changes c, anchordesk.head h where c.kind = 'lifecycle' and c.sequence > h.snapshot_sequence
            """, as: Int64.self) ?? 0)
        let rows = lifecycle.dropLast(since).map(LedgerHead.lifecycleRow)
        try session.copy(into: "snapshot_lifecycle", columns: ["position", "record"]) { line, index in
            guard index < rows.count else { return false }
            line.field(String(index))
            line.field(rows[index], last: true)
            return true
        }
    }
}
