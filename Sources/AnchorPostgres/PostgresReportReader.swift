import AnchorCore
import AnchorService
import AnchorStore
import Foundation
import PostgresNIO

/// What a report reads of a PostgreSQL store, a part at a time (``EstateStore/readForReport(_:warn:proceed:_:)``):
/// the devices its scope names, in ID order, with their histories, over the organisations,
/// certificates, lifecycle log and last counters. Every part is read in one snapshot of the
/// database (a read-only, repeatable-read transaction the first session begins and exports to
/// the others), so the report is of one moment however long it takes, and no part holds more
/// than `partSize` devices beyond those with new records.
///
/// The device table's IDs are split into ranges at its statistics' histogram, and each session
/// reads every n-th range on a thread of its own, so the database reads on as many cores as
/// there are sessions while this thread builds and reports the parts in order.
struct PostgresReportReader {
    /// The session that begins the snapshot.
    let session: PostgresSession
    /// Opens another session to read in that snapshot: `nil` when none can be had (the report
    /// is then read on one session). The reader closes it.
    let openHelper: @Sendable () -> PostgresSession?
    let shown: String
    /// Devices a part.
    let partSize: Int

    private typealias Row = PostgresReportParts.Row

    /// Reads the devices `scope` names, giving each part to `part`, after giving the ledger to
    /// `proceed`, which may end the read there.
    func read(_ scope: ReportScope, proceed: (Ledger) -> Bool, _ part: (ReportPart) -> Void) throws(StoreError) {
        try Self.prepare(session)
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
        let bounds = try PostgresReportParts.rangeBounds(over: session)
        let ranges = zip([""] + bounds, bounds.map(Optional.some) + [nil]).map { IDRange(after: $0, through: $1) }
        let helper = ranges.count > 1 ? try joinedHelper() : nil
        defer { helper?.close() }
        let sessions = [session] + (helper.map { [$0] } ?? [])
        let fetched = sessions.map { _ in PartQueue() }
        for (index, reader) in sessions.enumerated() {
            let queue = fetched[index]
            let mine = Array(stride(from: index, to: ranges.count, by: sessions.count).map { ranges[$0] })
            Thread { [self] in
                do throws(StoreError) {
                    var decodedCells: [Int: TrustAnchorCells] = [:]
                    for range in mine {
                        let going = try fetchParts(scope, in: range, over: reader, changed: changed, historySequence: historySequence, acb: acb) {
                            (raw) throws(StoreError) in
                            queue.put(.part(try build(raw, over: ledger, cellSets: cellSets, decodedCells: &decodedCells)))
                        }
                        guard going, queue.put(.rangeEnd) else { break }
                    }
                    queue.put(.end)
                } catch {
                    queue.put(.failed(error))
                }
            }.start()
        }
        defer { for queue in fetched { queue.drain() } }
        for index in ranges.indices {
            while case .part(let built) = try fetched[index % sessions.count].take() { part(built) }
        }
    }

    /// A part as the report reads it: its devices with their histories and the records since
    /// applied over `ledger`, built on the thread that read it.
    private func build(_ raw: RawPart, over ledger: Ledger, cellSets: [Int: String],
                       decodedCells: inout [Int: TrustAnchorCells]) throws(StoreError) -> ReportPart {
        var devices: [Device] = []
        var histories: [EUI64: DeviceHistory] = [:]
        for (row, history) in raw.rows {
            let device = try row.device(cellSets: cellSets, decoded: &decodedCells, shownAs: shown)
            devices.append(device)
            if let history { histories[device.id] = try DeviceHistory(decoding: Array(history.utf8), shownAs: shown) }
        }
        let estate = try PostgresDeviceHistory.part(head: ledger, histories: histories, since: raw.since, devices: devices, shownAs: shown)
        return ReportPart(estate: estate, unloggedACBHolders: raw.unlogged)
    }

    /// Sets a session up to read parts: their texts count characters, which reach this machine
    /// as UTF-8 whatever the database's encoding; and no part's plan is compiled (PostgreSQL's
    /// JIT would take longer to compile a part's plan than to run it, for each of hundreds).
    private static func prepare(_ session: PostgresSession) throws(StoreError) {
        try session.run("set client_encoding to 'UTF8'")
        try session.run("set jit to off")
    }

    /// A second session reading in this one's snapshot, or `nil` when none could be opened (a
    /// connection limit, say): the report is then read on one.
    private func joinedHelper() throws(StoreError) -> PostgresSession? {
        guard let helper = openHelper() else { return nil }
        let snapshot = try session.value("select pg_export_snapshot()", as: String.self) ?? ""
        // A snapshot's name is hexadecimal digits and dashes; `set transaction snapshot` takes no parameter.
        guard !snapshot.isEmpty, snapshot.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }) else {
            helper.close()
            throw StoreError.corrupt(path: shown, offset: nil, reason: "the database named its snapshot oddly")
        }
        do throws(StoreError) {
            try Self.prepare(helper)
            try helper.run("begin isolation level repeatable read read only")
            try helper.run(PostgresQuery(unsafeSQL: "set transaction snapshot '\(snapshot)'"))
            return helper
        } catch {
            helper.close()
            throw error
        }
    }

    /// Device IDs after `after`, up to and including `through` (to the end when `nil`).
    private struct IDRange: Sendable {
        var after: String
        var through: String?
    }

    /// A part as the database gives it: the rows with their histories, in ID order, the
    /// records committed since the histories about the devices in its range, and the unlogged
    /// GPFs holding the ACB's certificate in that range.
    private struct RawPart: Sendable {
        var rows: [Row]
        var since: [String]
        var unlogged: [CounterRiskReport.UnloggedGPF] = []
    }

    /// Reads a range's parts one after another over `session`, giving each to `give`.
    /// - Returns: `false` when `give` did, and nothing more is to be read.
    private func fetchParts(_ scope: ReportScope, in range: IDRange, over session: PostgresSession, changed: [String],
                            historySequence: UInt64, acb: [String], _ give: (RawPart) throws(StoreError) -> Bool) throws(StoreError) -> Bool {
        var after = range.after
        while true {
            let read = try readPart(scope, after: after, through: range.through, over: session, acb: acb)
            var unlogged = read.unlogged
            let end = read.rows.count + unlogged.count == partSize ? read.lastID : nil
            var rows = try withHistories(read.rows, after: after, through: end ?? range.through, over: session)
            // The part ends at its last device, or at the range's end when it is not full.
            let through = end ?? range.through
            let inRange = Self.ids(in: changed, after: after, through: through)
            if !inRange.isEmpty {
                // A device with records since its history was written is read as its row is now,
                // with its history, whether or not the part read it (a part may read a stale row).
                let recent = Set(inRange)
                rows.removeAll { recent.contains($0.row.id) }
                // Compared as devices, not as IDs written out: a part holds tens of thousands of unlogged GPFs.
                let recentDevices = Set(inRange.compactMap { id in EUI64(id).flatMap { $0.description == id ? $0 : nil } })
                unlogged.removeAll { recentDevices.contains($0.device) }
                rows += try session.rows(PostgresReportParts.devices(inRange), PostgresReportParts.row)
                rows.sort { Self.precedes($0.row.id, $1.row.id) }
            }
            let since = inRange.isEmpty ? [] : try PostgresDeviceHistory.records(since: historySequence, about: inRange, over: session)
            if !rows.isEmpty || !unlogged.isEmpty {
                guard try give(RawPart(rows: rows, since: since, unlogged: unlogged)) else { return false }
            }
            guard let end else { return true }
            after = end
        }
    }

    /// The part of `scope` after `after`, up to `through` (`nil`: to the end), as the database writes it.
    private func readPart(_ scope: ReportScope, after: String, through: String?, over session: PostgresSession,
                          acb: [String]) throws(StoreError) -> ReportPartText {
        switch scope {
        case .counterRisk:
            let query = PostgresReportParts.counterRisk(after: after, through: through, limit: partSize, acbCertificates: acb)
            let columns = try session.rows(query) { row in
                let cells = row.makeRandomAccess()
                return (try cells[0].decode(String?.self), cells[1].bytes, try cells[2].decode(String?.self), try cells[3].decode(Int64.self))
            }
            guard let (ids, suppliers, rows, oddIDs) = columns.first else { return try ReportPartText("", shownAs: shown) }
            guard oddIDs == 0, let unloggedSuppliers = suppliers.map(BinaryTextArray.strings) ?? [] else { throw ReportPartText.corrupt(shown) }
            return try ReportPartText(rows ?? "", unloggedIDs: ids ?? "", unloggedSuppliers: unloggedSuppliers, shownAs: shown)
        case .postCommissioning:
            let query = PostgresReportParts.commissioned(after: after, through: through, limit: partSize)
            let text = try session.rows(query) { row in try row.decode(String?.self) }.first ?? nil
            return try ReportPartText(text ?? "", shownAs: shown)
        }
    }

    /// `rows` (in ID order) with their histories, read for the part's range: each row said to
    /// have one must have one.
    private func withHistories(_ rows: [(row: DeviceRowText, logged: Bool)], after: String, through: String?,
                               over session: PostgresSession) throws(StoreError) -> [Row] {
        guard rows.contains(where: \.logged) else { return rows.map { ($0.row, nil) } }
        let histories = try session.rows(PostgresReportParts.histories(after: after, through: through)) { row in
            try row.decode((String, String).self)
        }
        var next = histories.startIndex
        return try rows.map { (row, logged) throws(StoreError) -> Row in
            guard logged else { return (row, nil) }
            while next < histories.endIndex, Self.precedes(histories[next].0, row.id) { next += 1 }
            guard next < histories.endIndex, histories[next].0 == row.id else {
                throw StoreError.corrupt(path: shown, offset: nil, reason: "device \(DisplaySafeText.sanitize(row.id)): its history was not read with it")
            }
            return (row, histories[next].1)
        }
    }

    /// The IDs of `sorted` after `after` up to and including `through` (all after, when `nil`).
    private static func ids(in sorted: [String], after: String, through: String?) -> [String] {
        let start = firstIndex(in: sorted, after: after)
        let end = through.map { firstIndex(in: sorted, after: $0) } ?? sorted.endIndex
        return start < end ? Array(sorted[start..<end]) : []
    }

    /// Where the IDs of `sorted` after `id` begin.
    private static func firstIndex(in sorted: [String], after id: String) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if precedes(id, sorted[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Parts handed from a thread that reads them to the one that builds them: at most
    /// ``readAhead`` wait, so a reader stays ahead, reading its next range while the builder
    /// reports another's, without holding the estate.
    private final class PartQueue: @unchecked Sendable {
        enum Item {
            case part(ReportPart)
            /// The range's last part has been put.
            case rangeEnd
            /// The reader's last range has ended.
            case end
            case failed(StoreError)
        }

        /// Items a reader may put before the builder takes them.
        static let readAhead = 4

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
            switch item {
            case .part, .rangeEnd: break
            case .end, .failed: readerDone = true
            }
            while items.count >= Self.readAhead, !abandoned { condition.wait() }
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
    static func precedes(_ first: String, _ second: String) -> Bool {
        first.utf8.lexicographicallyPrecedes(second.utf8)
    }
}
