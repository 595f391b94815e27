import AnchorCore
import AnchorStore
import PostgresNIO

/// Devices' parts of the logs: `anchordesk.device_history` holds each device's part up to
/// `head.history_sequence`, and the records committed since are found by `changes.device`.
enum PostgresDeviceHistory {
    /// The last record `anchordesk.device_history` holds.
    static func sequence(over session: PostgresSession) throws(StoreError) -> UInt64 {
        UInt64(try session.value("select history_sequence::text from anchordesk.head", as: String.self) ?? "") ?? 0
    }

    /// The records about `devices` committed after `sequence`, oldest first.
    static func records(since sequence: UInt64, about devices: [String], over session: PostgresSession) throws(StoreError) -> [String] {
        try session.rows("""
            select payload from anchordesk.changes
            where device in (select unnest(\(devices)::text[]) collate "C") and sequence > \(String(sequence))::numeric
            order by sequence
            """) { try $0.decode(String.self) }
    }

    /// The devices among `ids` as their rows hold them now, in ID order: each row's whole state
    /// (`lock_devices`, schema 3, builds the same), read in a statement of its own, so in a
    /// transaction that has locked the rows it sees what the last writer of each committed.
    static func states(_ ids: [String], over session: PostgresSession, shownAs shown: String) throws(StoreError) -> [Device] {
        guard !ids.isEmpty else { return [] }
        let states = try session.rows("""
            select jsonb_strip_nulls(jsonb_build_object('id', d.id, 'type', d.type, 'supplier', d.supplier,
                       'commissionedAt', d.commissioned_at, 'cells', c.cells, 'floors', d.floors, 'pending', d.pending,
                       'lastAlertCounter', d.last_alert_counter))::text
            from anchordesk.devices d join anchordesk.cell_sets c on c.number = d.cell_set
            where d.id in (select unnest(\(ids)::text[]) collate "C") order by d.id
            """) { try $0.decode(String.self) }
        return try states.map { (state) throws(StoreError) in try DeviceStateCoding.decode(Array(state.utf8), shownAs: shown) }
    }

    /// `devices` (their rows' states, as they are now) with their histories from
    /// `anchordesk.device_history` and the records committed since `historySequence` applied,
    /// over `head`: what a decision or a device's page reads of them.
    static func estate(of devices: [Device], head: Ledger, historySequence: UInt64, over session: PostgresSession,
                       shownAs shown: String) throws(StoreError) -> Estate {
        let ids = devices.map(\.id.description)
        var histories: [EUI64: DeviceHistory] = [:]
        for (id, text) in try session.rows("""
            select device, history from anchordesk.device_history where device in (select unnest(\(ids)::text[]) collate "C")
            """, { try $0.decode((String, String).self) }) {
            guard let device = EUI64(id) else { continue }
            histories[device] = try DeviceHistory(decoding: Array(text.utf8), shownAs: shown)
        }
        let since = try records(since: historySequence, about: ids, over: session)
        return try part(head: head, histories: histories, since: since, devices: devices, shownAs: shown)
    }

    /// An estate of some devices as they are now (`devices`, the rows' states) with their
    /// histories and the records since applied over `head`'s organisations, certificates and
    /// lifecycle log.
    static func part(head: Ledger, histories: [EUI64: DeviceHistory], since: [String], devices: [Device],
                     shownAs shown: String) throws(StoreError) -> Estate {
        var part = Estate(ledger: DeviceHistory.ledger(head: head, histories: histories), devices: DeviceTable())
        for payload in since { try RecordReplay.apply(Array(payload.utf8), to: &part, shownAs: shown) }
        // The rows hold each device as it is now.
        for device in devices { part.devices.upsert(device) }
        return part
    }
}
