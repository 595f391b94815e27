import AnchorCore
import AnchorService
import AnchorStore
import Foundation
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
        let cellSets = try PostgresDeviceTable.cellSets(over: session)
        let acb = ledger.soleOrganisation(withRole: .acb).map { ledger.certificates(ownedBy: $0.id).map(\.id) } ?? []
        // The next part is read from the database while this thread builds and reports the last.
        let fetched = PartQueue()
        let reading = Thread { [self] in
            do throws(StoreError) {
                try fetchParts(scope, changed: changed, historySequence: historySequence, acb: acb) { fetched.put(.part($0)) }
                fetched.put(.end)
            } catch {
                fetched.put(.failed(error))
            }
        }
        reading.start()
        defer { fetched.drain() }
        var decodedCells: [Int: TrustAnchorCells] = [:]
        while case .part(let raw) = try fetched.take() {
            var devices: [Device] = []
            var histories: [EUI64: DeviceHistory] = [:]
            for (row, history) in raw.rows {
                let device = try row.device(cellSets: cellSets, decoded: &decodedCells, shownAs: shown)
                devices.append(device)
                if let history { histories[device.id] = try DeviceHistory(decoding: Array(history.utf8), shownAs: shown) }
            }
            part(try PostgresDeviceHistory.part(head: ledger, histories: histories, since: raw.since, devices: devices, shownAs: shown))
        }
    }

    /// A part as the database gives it: the rows with their histories, in ID order, and the
    /// records committed since the histories about the devices in its range.
    private struct RawPart: Sendable {
        var rows: [Row]
        var since: [String]
    }

    /// Reads the parts one after another, giving each to `give`, until it returns `false`.
    private func fetchParts(_ scope: ReportScope, changed: [String], historySequence: UInt64, acb: [String],
                            _ give: (RawPart) -> Bool) throws(StoreError) {
        var nextChanged = changed.startIndex
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
            let since = inRange.isEmpty ? [] : try PostgresDeviceHistory.records(since: historySequence, about: inRange, over: session)
            guard give(RawPart(rows: rows, since: since)) else { return }
            after = last.row.id
        }
    }

    /// Parts handed from the thread that reads them to the one that builds them: at most two
    /// wait, so the reader stays one part ahead without holding the estate.
    private final class PartQueue: @unchecked Sendable {
        enum Item {
            case part(RawPart)
            case end
            case failed(StoreError)
        }

        private let condition = NSCondition()
        private var items: [Item] = []
        /// The builder has stopped taking parts.
        private var abandoned = false
        /// The reader has put its last item.
        private var readerDone = false

        /// Waits for room, then adds an item.
        /// - Returns: `false` when the builder has stopped taking parts: the reader stops too.
        @discardableResult
        func put(_ item: Item) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            if case .part = item {} else { readerDone = true }
            while items.count >= 2, !abandoned { condition.wait() }
            if !abandoned { items.append(item) }
            condition.broadcast()
            return !abandoned
        }

        /// The next item, once there is one; a failure is thrown.
        func take() throws(StoreError) -> Item {
            condition.lock()
            defer { condition.unlock() }
            while items.isEmpty { condition.wait() }
            let item = items.removeFirst()
            condition.broadcast()
            if case .failed(let error) = item { throw error }
            return item
        }

        /// The builder is done, or failed: waits until the reader has stopped, so the
        /// transaction can end.
        func drain() {
            condition.lock()
            defer { condition.unlock() }
            abandoned = true
            items.removeAll()
            condition.broadcast()
            while !readerDone { condition.wait() }
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
