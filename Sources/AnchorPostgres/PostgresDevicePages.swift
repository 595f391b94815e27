import AnchorCore
import AnchorStore
import NIOConcurrencyHelpers
import PostgresNIO

/// Pages of a PostgreSQL store's devices, read from `anchordesk.devices` (``PostgresDeviceTable``)
/// without reading the estate: a few index reads a page, however large the estate.
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
        var cellSets: [Int: String] = [:]
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

    func page(_ start: DevicePageStart, filter: DeviceFilter, limit: Int) throws(StoreError) -> DevicePage {
        try withState { state throws(StoreError) in
            let session = state.session!
            // Another store made in the database (`init --force`) numbers its cell sets afresh.
            if try state.head.refresh(session, shown: shown) {
                state.cellSets = [:]
                state.lastCount = nil
            }
            let head = state.head.head!
            let terms = FilterTerms(filter, head: head)
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
                    matching = Int(try session.value(Self.countQuery(terms), as: Int64.self) ?? 0)
                    state.lastCount = (filter, state.head.seenSequence, matching)
                }
            }
            let rows: [DeviceRowText] = matching == 0 ? [] : try session.rows(Self.pageQuery(start, terms: terms, limit: limit)) { row in
                let (id, type, supplier, commissioned, cellSet, last, counter) =
                    try row.decode((String, String, String, String?, Int32, String?, String?).self)
                return DeviceRowText(id: id, type: type, supplier: supplier, commissionedAt: commissioned, cellSet: Int(cellSet),
                                     lastRequest: last, recordedCounter: counter)
            }
            let ordered = Self.readsBackwards(start) ? rows.reversed() : rows
            if ordered.contains(where: { state.cellSets[$0.cellSet] == nil }) {
                state.cellSets = Dictionary(uniqueKeysWithValues: try session.rows("select number, cells::text from anchordesk.cell_sets") {
                    let (number, cells) = try $0.decode((Int32, String).self)
                    return (Int(number), cells)
                })
            }
            let preview = try StorePreview(page: ordered, head: head, cellSets: state.cellSets, deviceCount: total, shownAs: shown)
            return DevicePage(preview: preview, filter: filter, matching: matching, start: start, limit: limit)
        }
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

    private static func readsBackwards(_ start: DevicePageStart) -> Bool {
        switch start {
        case .first, .after: false
        case .before, .last: true
        }
    }

    /// A filter as the device table answers it: `no=ORG` as the certificates in the Network
    /// Operator DS cell (several `no=` terms: the certificates all of them allow), every other
    /// term as a condition on the row.
    struct FilterTerms {
        /// The certificates `no=` allows; `nil` when the filter has no `no=` term.
        var certificates: [String]?
        /// The other terms.
        var others: [DeviceFilter.Term]

        init(_ filter: DeviceFilter, head: LedgerHead) {
            others = []
            for term in filter.terms {
                if case .networkOperator(let organisation) = term {
                    let owned = head.certificates(ownedBy: organisation)
                    certificates = certificates.map { $0.filter(owned.contains) } ?? owned
                } else {
                    others.append(term)
                }
            }
        }

        /// The SQL conditions of ``others`` (each preceded by `and`), their values bound with `bind`.
        func conditions(_ bind: (String) -> String) -> String {
            others.map { term in
                switch term {
                case .networkOperator: ""
                case .supplier(let organisation): " and d.supplier = \(bind(organisation))"
                case .type(let type): " and d.type = \(bind(type.rawValue))"
                case .hasRecordedCounter: " and r.counter is not null"
                case .idContains(let digits): " and replace(d.id, '-', '') like \(bind("%" + digits + "%"))"
                }
            }.joined()
        }
    }

    /// How many devices match a filter with terms beyond `no=ORG`: a pass over the matching rows.
    private static func countQuery(_ terms: FilterTerms) -> PostgresQuery {
        var binds = PostgresBindings()
        func bind(_ text: String) -> String {
            binds.append(text)
            return "$\(binds.count)"
        }
        let certificates = terms.certificates.map { " and d.network_operator_ds = any(\(bind("{" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "}"))::text[])" } ?? ""
        let sql = """
            select count(*)::bigint from anchordesk.devices d
            left join anchordesk.recorded_counters r on r.device = d.id collate "default"
            where true\(certificates)\(terms.conditions(bind))
            """
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// The page's rows in index order (backwards for `.before` and `.last`): one index range
    /// per certificate for `no=ORG`, merged, so each range is read only as far as the page;
    /// other terms are conditions on the rows read.
    /// Device IDs sort bytewise (`collate "C"`, as the store orders them); the recorded counters
    /// are looked up in their own index, which is in the database's collation.
    private static func pageQuery(_ start: DevicePageStart, terms: FilterTerms, limit: Int) -> PostgresQuery {
        var binds = PostgresBindings()
        var bound = 0
        func bind(_ text: String) -> String {
            binds.append(text)
            bound += 1
            return "$\(bound)"
        }
        let conditions = terms.conditions(bind)
        var bounds = conditions
        switch start {
        case .first, .last: break
        case .after(let id): bounds += " and d.id > \(bind(id.description))"
        case .before(let id): bounds += " and d.id < \(bind(id.description))"
        }
        let order = readsBackwards(start) ? "desc" : "asc"
        let columns = "d.id, d.type, d.supplier, d.commissioned_at, d.cell_set, d.last_request::text, r.counter::text"
        func range(_ condition: String) -> String {
            """
            (select \(columns) from anchordesk.devices d
             left join anchordesk.recorded_counters r on r.device = d.id collate "default"
             where \(condition)\(bounds) order by d.id \(order) limit \(limit))
            """
        }
        let branches = terms.certificates.map { $0.map { range("d.network_operator_ds = \(bind($0))") } } ?? [range("true")]
        let sql = "select * from (\(branches.joined(separator: " union all "))) page order by id \(order) limit \(limit)"
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
