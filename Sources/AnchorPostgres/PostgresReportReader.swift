import AnchorCore
import AnchorService
import AnchorStore
import PostgresNIO

/// What a report reads of a PostgreSQL store, a part at a time (``EstateStore/readForReport(_:warn:_:)``):
/// the devices its scope names, in ID order, with their histories, over the organisations,
/// certificates, lifecycle log and last counters. Every part is read in one snapshot of the
/// database (a read-only, repeatable-read transaction), so the report is of one moment however
/// long it takes, and no part holds more than `partSize` devices.
struct PostgresReportReader {
    let session: PostgresSession
    let shown: String
    /// Devices a part.
    let partSize: Int

    /// Reads the devices `scope` names, giving each part to `part`, after giving the ledger to
    /// `proceed`, which may end the read there.
    func read(_ scope: ReportScope, proceed: (Ledger) -> Bool, _ part: (Estate) -> Void) throws(StoreError) {
        try session.run("begin isolation level repeatable read read only")
        defer { try? session.run("rollback") }
        var head = PostgresLedgerHead()
        try head.refresh(session, shown: shown)
        let ledger = try PostgresLedgerHead.withLastCounters(head.head!.ledger, over: session)
        guard proceed(ledger) else { return }
        let historySequence = try PostgresDeviceHistory.sequence(over: session)
        // Devices with records since their histories were written: few, and read with each part.
        let changed = Set(try session.rows("""
            select distinct device from anchordesk.changes where device is not null and sequence > \(String(historySequence))::numeric
            """) { try $0.decode(String.self) })
        let cellSets = Dictionary(uniqueKeysWithValues: try session.rows("select number, cells::text from anchordesk.cell_sets") {
            let (number, cells) = try $0.decode((Int32, String).self)
            return (Int(number), cells)
        })
        var decodedCells: [Int: TrustAnchorCells] = [:]
        var after = ""
        while true {
            let rows = try session.rows(query(scope, after: after, ledger: ledger, changed: Array(changed))) { row in
                let (id, type, supplier, commissioned, cellSet, history) = try row.decode((String, String, String, String?, Int32, String?).self)
                return (DeviceRowText(id: id, type: type, supplier: supplier, commissionedAt: commissioned, cellSet: Int(cellSet),
                                      lastRequest: nil, recordedCounter: nil), history)
            }
            guard let last = rows.last else { return }
            var devices: [Device] = []
            var histories: [EUI64: DeviceHistory] = [:]
            for (row, history) in rows {
                let device = try row.device(cellSets: cellSets, decoded: &decodedCells, shownAs: shown)
                devices.append(device)
                if let history { histories[device.id] = try DeviceHistory(decoding: Array(history.utf8), shownAs: shown) }
            }
            let touched = rows.map(\.0.id).filter(changed.contains)
            let since = touched.isEmpty ? [] : try PostgresDeviceHistory.records(since: historySequence, about: touched, over: session)
            part(try PostgresDeviceHistory.part(head: ledger, histories: histories, since: since, devices: devices, shownAs: shown))
            after = last.0.id
        }
    }

    /// The next part's rows after device `after` (`""` for the first), each with its history.
    private func query(_ scope: ReportScope, after: String, ledger: Ledger, changed: [String]) -> PostgresQuery {
        switch scope {
        case .counterRisk:
            let acb = ledger.soleOrganisation(withRole: .acb).map { ledger.certificates(ownedBy: $0.id).map(\.id) } ?? []
            return """
                select d.id, d.type, d.supplier, d.commissioned_at, d.cell_set, h.history
                from anchordesk.devices d left join anchordesk.device_history h on h.device = d.id
                where d.id > \(after) and d.type = 'GPF' and (d.network_operator_ds = any(\(acb)) or d.scheduled is not null
                    or h.device is not null or d.id = any(\(changed)))
                order by d.id limit \(partSize)
                """
        case .postCommissioning:
            return """
                select d.id, d.type, d.supplier, d.commissioned_at, d.cell_set, h.history
                from anchordesk.devices d left join anchordesk.device_history h on h.device = d.id
                where d.id > \(after) and d.type = 'GPF' and d.commissioned_at is not null
                order by d.id limit \(partSize)
                """
        }
    }
}
