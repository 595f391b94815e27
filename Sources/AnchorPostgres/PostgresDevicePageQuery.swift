import AnchorCore
import AnchorStore
import PostgresNIO

/// The SQL devices are read and counted with, for a page or a bulk run's selection: a
/// filter's terms as conditions on `anchordesk.devices` (and the recorded counters), a sort as
/// a key on the row, and keyset bounds from the device a page starts after or before. Every
/// value is bound, never spliced.
struct PostgresDevicePageQuery {
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
    }

    /// The values bound so far, named `$1`, `$2`… in the order they were bound.
    private var binds = PostgresBindings()
    private var bound = 0

    private mutating func bind(_ value: String) -> String {
        binds.append(value)
        bound += 1
        return "$\(bound)"
    }

    private mutating func bind(_ values: [String]) -> String {
        binds.append(values)
        bound += 1
        return "$\(bound)::text[]"
    }

    /// The rows and their recorded counters, as every query here names them.
    private static let rows = """
        anchordesk.devices d left join anchordesk.recorded_counters r on r.device = d.id collate "default"
        """

    /// The condition of the `no=ORG` terms, preceded by `and`; none without one.
    private mutating func certificateCondition(_ terms: FilterTerms) -> String {
        terms.certificates.map { " and d.network_operator_ds = any(\(bind($0)))" } ?? ""
    }

    /// The conditions of the terms beyond `no=ORG`, each preceded by `and`.
    private mutating func conditions(_ terms: FilterTerms) -> String {
        terms.others.map { term in
            switch term {
            case .networkOperator: ""
            case .supplier(let organisation): " and d.supplier = \(bind(organisation))"
            case .type(let type): " and d.type = \(bind(type.rawValue))"
            case .hasRecordedCounter: " and r.counter is not null"
            case .idContains(let digits):
                // A whole device ID is the one device: an index read, not a pass over every row.
                if digits.count == 16, let id = EUI64(digits) { " and d.id = \(bind(id.description))" }
                else { " and replace(d.id, '-', '') like \(bind("%" + digits + "%"))" }
            }
        }.joined()
    }

    /// The key a column sorts by, as the console's own sort orders the devices in memory
    /// (`DeviceList`); `nil` for device ID order. Every key is non-null, text keys compare
    /// bytewise (`collate "C"`), and a device without a recorded counter sorts before every counter.
    private mutating func sortKey(_ column: DeviceColumn?, head: LedgerHead) -> String? {
        switch column {
        case nil, .id: return nil
        case .type: return "d.type collate \"C\""
        case .supplier: return "d.supplier collate \"C\""
        case .networkOperator:
            let certificates = head.ledger.certificates
            return "coalesce((\(bind(certificates.map(\.owner))))[array_position(\(bind(certificates.map(\.id))), d.network_operator_ds::text)], '') collate \"C\""
        case .recordedCounter: return "coalesce(r.counter, -1)"
        case .lastRequest:
            return """
                coalesce((d.last_request ->> 'service') || ' ' || (d.last_request ->> 'outcome') || ' ' \
                || coalesce(d.last_request ->> 'reason', ''), '') collate "C"
                """
        }
    }

    /// How many devices match a filter with terms beyond `no=ORG`: a pass over the matching rows.
    static func count(_ terms: FilterTerms) -> PostgresQuery {
        var query = PostgresDevicePageQuery()
        let sql = "select count(*)::bigint from \(rows) where true\(query.certificateCondition(terms))\(query.conditions(terms))"
        return PostgresQuery(unsafeSQL: sql, binds: query.binds)
    }

    /// `columns` of every device matching a filter, in ID order, from the devices (`d`), their
    /// recorded counters (`r`) and what `joining` adds (a bulk run's selection).
    static func devices(matching terms: FilterTerms, columns: String, joining: String) -> PostgresQuery {
        var query = PostgresDevicePageQuery()
        let sql = "select \(columns) from \(rows) \(joining) where true\(query.certificateCondition(terms))\(query.conditions(terms)) order by d.id"
        return PostgresQuery(unsafeSQL: sql, binds: query.binds)
    }

    /// Whether a page starting so is read from its end backwards (and then turned round).
    static func readsBackwards(_ start: DevicePageStart) -> Bool {
        switch start {
        case .first, .after, .at: false
        case .before, .last: true
        }
    }

    /// A page's device IDs, read in the order asked (backwards for `.before` and `.last`).
    ///
    /// In device ID order, `no=ORG` is one index range per certificate, merged, so each range
    /// is read only as far as the page. Sorted by a column, the rows are ordered by its key then
    /// by ID (ascending whichever the direction), and a page starts after or before its anchor
    /// device's key and ID (or at it, for `.at`). Device IDs sort bytewise (`collate "C"`, as the store orders them);
    /// the recorded counters are looked up in their own index, in the database's collation.
    static func page(_ start: DevicePageStart, terms: FilterTerms, sort: DeviceSort, head: LedgerHead, limit: Int) -> PostgresQuery {
        var query = PostgresDevicePageQuery()
        let backwards = readsBackwards(start)
        let key = query.sortKey(sort.column, head: head)
        // Ascending in the order rows are read: the key's (or the ID's, in ID order) and the ID's.
        let keyAscending = sort.ascending != backwards
        let idAscending = key == nil ? keyAscending : !backwards
        var bounds = query.conditions(terms)
        let anchor: EUI64? = switch start {
        case .first, .last: nil
        case .after(let id), .before(let id), .at(let id): id
        }
        if let anchor {
            let id = query.bind(anchor.description)
            let idBound = "d.id \(idAscending ? ">" : "<")\(start == .at(anchor) ? "=" : "") \(id)"
            if let key {
                let anchorKey = "(select \(key) from \(rows) where d.id = \(id))"
                bounds += " and (\(key) \(keyAscending ? ">" : "<") \(anchorKey) or (\(key) = \(anchorKey) and \(idBound)))"
            } else {
                bounds += " and \(idBound)"
            }
        }
        let order = (key.map { "\($0) \(keyAscending ? "asc" : "desc"), " } ?? "") + "d.id \(idAscending ? "asc" : "desc")"
        let columns = "d.id"
        let sql: String
        if let certificates = terms.certificates, !certificates.isEmpty, key == nil {
            let ranges = certificates.map { certificate in
                "(select \(columns) from \(rows) where d.network_operator_ds = \(query.bind(certificate))\(bounds) order by \(order) limit \(limit))"
            }
            sql = "select * from (\(ranges.joined(separator: " union all "))) page order by id \(idAscending ? "asc" : "desc") limit \(limit)"
        } else if sort.column == .recordedCounter || terms.others.contains(.hasRecordedCounter) {
            let certificates = query.certificateCondition(terms)
            sql = "select \(columns) from \(rows) where true\(certificates)\(bounds) order by \(order) limit \(limit)"
        } else {
            // Nothing needs a recorded counter: the devices alone are read (a pass over 25M rows
            // without the join takes less than half the time).
            let certificates = query.certificateCondition(terms)
            sql = "select d.id from anchordesk.devices d where true\(certificates)\(bounds) order by \(order) limit \(limit)"
        }
        return PostgresQuery(unsafeSQL: sql, binds: query.binds)
    }
}
