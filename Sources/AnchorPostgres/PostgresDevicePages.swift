import AnchorCore
import AnchorStore
import NIOConcurrencyHelpers
import PostgresNIO

/// Pages of a PostgreSQL store's devices, read from `anchordesk.devices` (``PostgresDeviceTable``)
/// without reading the estate: in device ID order a few index reads a page, however large the
/// estate; filtered beyond `no=ORG` or sorted, a pass over the matching rows (``PostgresDevicePageQuery``).
///
/// The organisations and certificates the pages are shown against are read once from the head
/// of the database's snapshot (``LedgerHead``), then kept up to date with the lifecycle
/// records committed since. One connection is kept open between pages, and made again if lost.
final class PostgresDevicePages: DevicePaging, @unchecked Sendable {
    private let connect: @Sendable () throws(StoreError) -> (PostgresSession, [String])
    private let shown: String
    private let lock = NIOLock()
    private var paging = PagingState()

    /// What is kept between pages.
    private struct PagingState {
        var session: PostgresSession?
        var head = PostgresLedgerHead()
        var warnings: [String] = []
        /// The last count that took a pass over the rows, kept while nothing is committed, so
        /// paging through a filtered estate counts it once.
        var lastCount: (filter: DeviceFilter, sequence: UInt64, matching: Int)?
    }

    /// - Parameter connect: makes a connection, checked, and says what the server warns of.
    init(shown: String, connect: @escaping @Sendable () throws(StoreError) -> (PostgresSession, [String])) {
        self.shown = shown
        self.connect = connect
    }

    deinit {
        paging.session?.close()
    }

    /// What the server's settings warn of, as the last connection found them.
    var warnings: [String] {
        lock.withLock { paging.warnings }
    }

    func deviceCount() throws(StoreError) -> Int {
        try withState { state throws(StoreError) in try Self.deviceCount(state.session!) }
    }

    /// The store's devices: the sum of the cell sets' counts (a few dozen rows).
    private static func deviceCount(_ session: PostgresSession) throws(StoreError) -> Int {
        Int(try session.value("select coalesce(sum(devices), 0)::bigint from anchordesk.cell_sets", as: Int64.self) ?? 0)
    }

    func holdings() throws(StoreError) -> [String: Int] {
        try withState { state throws(StoreError) in
            let session = state.session!
            try state.head.refresh(session, shown: shown)
            let ledger = state.head.head!.ledger
            let sets = try session.rows("select cells::text, devices from anchordesk.cell_sets where devices > 0") {
                try $0.decode((String, Int64).self)
            }
            var holdings: [String: Int] = [:]
            for (text, count) in sets {
                let cells = try DeviceRowText.cells(text, shownAs: shown)
                let owners = Set(cells.all.compactMap { $0.certificate.flatMap { ledger.owner(ofCertificate: $0)?.id } })
                for owner in owners { holdings[owner, default: 0] += Int(count) }
            }
            return Dictionary(uniqueKeysWithValues: ledger.organisations.map { ($0.id, holdings[$0.id] ?? 0) })
        }
    }

    /// Two index reads (`devices_due`, `devices_alerts_waiting`), as a writer's opening check makes.
    func hasDueAlertWork(at now: Timestamp) throws(StoreError) -> Bool {
        try withState { state throws(StoreError) in
            try state.session!.value("""
                select exists (select 1 from anchordesk.devices where due_at <= \(now.description))
                    or exists (select 1 from anchordesk.devices where alerts_waiting > 0)
                """, as: Bool.self) ?? false
        }
    }

    func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort, limit: Int) throws(StoreError) -> DevicePage {
        try withState { state throws(StoreError) in
            let session = state.session!
            // One moment of the database: the histories and the records since agree.
            try session.run("begin isolation level repeatable read read only")
            defer { try? session.run("rollback") }
            // Another store made in the database (`init --force`) numbers its cell sets afresh.
            if try state.head.refresh(session, shown: shown) { state.lastCount = nil }
            let head = state.head.head!
            let terms = PostgresDevicePageQuery.FilterTerms(filter, head: head)
            let total = try Self.deviceCount(session)
            var matching = total
            if terms.others.isEmpty, let certificates = terms.certificates {
                matching = Int(try session.value(
                    "select coalesce(sum(devices), 0)::bigint from anchordesk.cell_sets where network_operator_ds = any(\(certificates))",
                    as: Int64.self) ?? 0)
            } else if !terms.others.isEmpty {
                if let last = state.lastCount, last.filter == filter, last.sequence == state.head.seenSequence {
                    matching = last.matching
                } else {
                    matching = Int(try session.value(PostgresDevicePageQuery.count(terms), as: Int64.self) ?? 0)
                    state.lastCount = (filter, state.head.seenSequence, matching)
                }
            }
            let ids: [String] = matching == 0 ? [] : try session.rows(PostgresDevicePageQuery.page(start, terms: terms, sort: sort, head: head, limit: limit)) {
                try $0.decode(String.self)
            }
            let estate = try Self.devices(ids, head: head.ledger, over: session, shown: shown)
            let preview = StorePreview(estate: estate, deviceCount: total)
            return DevicePage(preview: preview, filter: filter, sort: sort, matching: matching, start: start, limit: limit)
        }
    }

    /// Devices by ID as they are now, with their histories and the organisations' last counters,
    /// over `head`, read without locking them.
    static func devices(_ ids: [String], head: Ledger, over session: PostgresSession, shown: String) throws(StoreError) -> Estate {
        let devices = try PostgresDeviceHistory.states(ids, over: session, shownAs: shown)
        let ledger = try PostgresLedgerHead.withLastCounters(head, over: session)
        return try PostgresDeviceHistory.estate(of: devices, head: ledger, historySequence: try PostgresDeviceHistory.sequence(over: session),
                                                over: session, shownAs: shown)
    }

    /// Runs `body` with a connection, connecting first if there is none; a connection that
    /// failed is closed so the next call makes a new one.
    private func withState<Value>(_ body: (inout PagingState) throws(StoreError) -> Value) throws(StoreError) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if paging.session == nil || paging.session!.connection.isClosed {
            paging.session?.close()
            let (session, warnings) = try connect()
            paging.session = session
            paging.warnings = warnings
        }
        do throws(StoreError) {
            return try body(&paging)
        } catch {
            paging.session?.close()
            paging.session = nil
            throw error
        }
    }
}
