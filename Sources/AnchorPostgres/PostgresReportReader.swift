import AnchorCore
import AnchorService
import AnchorStore
import PostgresNIO

/// What a report reads of a PostgreSQL store, a part at a time (``EstateStore/readForReport(_:warn:_:)``):
/// the devices its scope names, in ID order, with their histories, over the organisations,
/// certificates, lifecycle log and last counters. Every part is read in one snapshot of the
/// database (a read-only, repeatable-read transaction), so the report is of one moment however
/// long it takes, and no part holds more than `partSize` devices beyond those with new records.
struct PostgresReportReader {
    let session: PostgresSession
    let shown: String
    /// Devices a part.
    let partSize: Int

    /// A device's row as a report reads it, with its history.
    private typealias Row = (row: DeviceRowText, history: String?)

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
        // Devices with records since their histories were written: few, each read with the part
        // whose range holds it, whatever the scope (a record can put a device in a report).
        let changed = try session.rows("""
            select distinct device from anchordesk.changes where device is not null and sequence > \(String(historySequence))::numeric
            """) { try $0.decode(String.self) }.sorted(by: Self.precedes)
        var nextChanged = changed.startIndex
        let cellSets = try PostgresDeviceTable.cellSets(over: session)
        let acb = ledger.soleOrganisation(withRole: .acb).map { ledger.certificates(ownedBy: $0.id).map(\.id) } ?? []
        var decodedCells: [Int: TrustAnchorCells] = [:]
        var after = ""
        while true {
            var rows = try self.rows(Self.part(scope, after: after, acbCertificates: acb, limit: partSize))
            // The part ends at its last row, or at the end of the estate when it is not full.
            let end = rows.count == partSize ? rows.last?.row.id : nil
            let rangeEnd = end.map { last in changed[nextChanged...].firstIndex { Self.precedes(last, $0) } ?? changed.endIndex } ?? changed.endIndex
            let inRange = Array(changed[nextChanged..<rangeEnd])
            nextChanged = rangeEnd
            let missing = Set(inRange).subtracting(rows.map(\.row.id))
            if !missing.isEmpty {
                rows += try self.rows(Self.devices(Array(missing)))
                rows.sort { Self.precedes($0.row.id, $1.row.id) }
            }
            guard let last = rows.last else { return }
            var devices: [Device] = []
            var histories: [EUI64: DeviceHistory] = [:]
            for (row, history) in rows {
                let device = try row.device(cellSets: cellSets, decoded: &decodedCells, shownAs: shown)
                devices.append(device)
                if let history { histories[device.id] = try DeviceHistory(decoding: Array(history.utf8), shownAs: shown) }
            }
            let since = inRange.isEmpty ? [] : try PostgresDeviceHistory.records(since: historySequence, about: inRange, over: session)
            part(try PostgresDeviceHistory.part(head: ledger, histories: histories, since: since, devices: devices, shownAs: shown))
            after = last.row.id
        }
    }

    /// Device IDs in the store's order (bytewise, as `collate "C"`).
    private static func precedes(_ first: String, _ second: String) -> Bool {
        first.utf8.lexicographicallyPrecedes(second.utf8)
    }

    /// The columns a report reads, from the devices (`d`) and their histories (`h`), the
    /// histories from device `$1` on (so a part's merge join starts there, not at the first).
    private static let columns = """
        select d.id, d.type, d.supplier, d.commissioned_at, d.cell_set, h.history
        from anchordesk.devices d left join anchordesk.device_history h on h.device = d.id and h.device > $1
        """

    /// The next `limit` devices after `after` (`""` for the first) that a scope names beyond
    /// those with new records: counter-risk, GPFs with an ACB certificate in the Network Operator
    /// DS cell, a pending command or any history; post-commissioning, commissioned GPFs.
    private static func part(_ scope: ReportScope, after: String, acbCertificates: [String], limit: Int) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(after)
        binds.append(limit)
        let condition: String
        switch scope {
        case .counterRisk:
            binds.append(acbCertificates)
            condition = "(d.network_operator_ds = any($3::text[]) or d.scheduled is not null or h.device is not null)"
        case .postCommissioning:
            condition = "d.commissioned_at is not null"
        }
        return PostgresQuery(unsafeSQL: "\(columns) where d.id > $1 and d.type = 'GPF' and \(condition) order by d.id limit $2", binds: binds)
    }

    /// The GPFs among `ids`.
    private static func devices(_ ids: [String]) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append("")
        binds.append(ids)
        return PostgresQuery(unsafeSQL: "\(columns) where d.id = any($2::text[]) and d.type = 'GPF'", binds: binds)
    }

    private func rows(_ query: PostgresQuery) throws(StoreError) -> [Row] {
        try session.rows(query) { row in
            let (id, type, supplier, commissioned, cellSet, history) = try row.decode((String, String, String, String?, Int32, String?).self)
            return (DeviceRowText(id: id, type: type, supplier: supplier, commissionedAt: commissioned, cellSet: Int(cellSet),
                                  lastRequest: nil, recordedCounter: nil), history)
        }
    }
}
