import AnchorCore
import AnchorService
import AnchorStore
import PostgresNIO

/// The statements a report's parts are read with (``PostgresReportReader``), each over a range
/// of device IDs after `after` and up to `through` (`nil`: to the end), `limit` devices at most.
enum PostgresReportParts {
    /// A device's row as a report reads it, with its history.
    typealias Row = (row: DeviceRowText, history: String?)

    /// Counter-risk's part (``ReportPartText``), not a row a device: GPFs holding one of the
    /// ACB's certificates in the Network Operator DS cell and GPFs with a history (whose
    /// histories ``histories(after:through:)`` reads), in ID order (which ``ReportPartText``
    /// checks rather than have the database sort them again), as three columns, each `null` for
    /// none: the IDs of the GPFs without a history one after another, their Suppliers (a
    /// `text[]`), and the GPFs with a history as rows (`H`); and a fourth, how many of those IDs
    /// are not ``EUI64/canonicalLength`` bytes (none in a sound store: IDs of other lengths would
    /// be cut into other IDs, so any is a corrupt store). A part's values are a few dozen
    /// bytes a device, so they stay far below PostgreSQL's 1 GB for a value however long the
    /// histories grow.
    ///
    /// The database reads only the devices the report may name, and no device's row for them:
    /// the ACB's GPFs without a history come from the index by Network Operator certificate
    /// alone (it holds their type and Supplier: ``PostgresDeviceTable/networkOperatorIndex``), one
    /// branch a certificate, each in ID order; the GPFs with a history from the histories' table,
    /// which holds their rows as they were when it was written (schema version 6). PostgreSQL
    /// merges the branches in ID order and stops at `limit`. The rows of devices with records
    /// since are stale here, and the reader reads them again (``PostgresReportReader``).
    static func counterRisk(after: String, through: String?, limit: Int, acbCertificates: [String]) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(after)
        binds.append(limit)
        binds.append(through ?? "")
        var branches: [String] = []
        for certificate in acbCertificates {
            binds.append(certificate)
            branches.append("""
                (select d.id, d.type, d.supplier, null::text as commissioned_at, null::integer as cell_set, false as logged
                 from anchordesk.devices d
                 where d.network_operator_ds = $\(binds.count) and d.id > $1 \(through == nil ? "" : "and d.id <= $3") and d.type = 'GPF'
                   and not exists (select from anchordesk.device_history h where h.device = d.id and h.device > $1)
                 order by d.id limit $2)
                """)
        }
        branches.append("""
            (select h.device as id, h.type, h.supplier, h.commissioned_at, h.cell_set, true as logged
             from anchordesk.device_history h
             where h.device > $1 \(through == nil ? "" : "and h.device <= $3") and h.type = 'GPF'
             order by h.device limit $2)
            """)
        return PostgresQuery(unsafeSQL: """
            select string_agg(p.id, '') filter (where not p.logged), array_agg(p.supplier) filter (where not p.logged),
                string_agg('H' || \(rowFields), '') filter (where p.logged),
                count(*) filter (where not p.logged and octet_length(p.id) <> \(EUI64.canonicalLength))
            from (\(branches.joined(separator: " union all ")) order by id limit $2) p
            """, binds: binds)
    }

    /// Post-commissioning's part, as one text (``ReportPartText``): commissioned GPFs, each as
    /// its row, `H` with a history (read by ``histories(after:through:)``) or `R` without.
    static func commissioned(after: String, through: String?, limit: Int) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(after)
        binds.append(limit)
        binds.append(through ?? "")
        return PostgresQuery(unsafeSQL: """
            select string_agg(case when p.logged is null then 'R' else 'H' end || \(rowFields), '')
            from (\(logged) where d.id > $1 \(through == nil ? "" : "and d.id <= $3") and d.type = 'GPF' and d.commissioned_at is not null
                  order by d.id limit $2) p
            """, binds: binds)
    }

    /// A part's devices (`d`), each with whether it has a history (`logged`, from the histories'
    /// index from device `$1` on, so a part's merge join starts there).
    private static let logged = """
        select d.id, d.type, d.supplier, d.commissioned_at, d.cell_set, h.device as logged
        from anchordesk.devices d left join anchordesk.device_history h on h.device = d.id and h.device > $1
        """

    /// A row's fields in a part's text: ID, type, Supplier, commissioned at or `-`, cell set.
    private static let rowFields = field("id") + " || " + field("type") + " || " + field("supplier")
        + " || coalesce(" + field("commissioned_at") + ", '-') || " + field("cell_set")

    /// A column of `p` as a field of a part's text: its length in characters, `:`, the field.
    private static func field(_ column: String) -> String {
        "length(p.\(column)::text) || ':' || p.\(column)"
    }

    /// The histories of the devices after `after` and up to `through`, in ID order, a row each.
    static func histories(after: String, through: String?) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(after)
        binds.append(through ?? "")
        return PostgresQuery(unsafeSQL: """
            select device, history from anchordesk.device_history
            where device > $1 \(through == nil ? "" : "and device <= $2") order by device
            """, binds: binds)
    }

    /// The GPFs among `ids`, a row each, with their histories.
    static func devices(_ ids: [String]) -> PostgresQuery {
        """
        select d.id, d.type, d.supplier, d.commissioned_at, d.cell_set, h.history
        from anchordesk.devices d left join anchordesk.device_history h on h.device = d.id
        where d.id = any(\(ids)::text[]) and d.type = 'GPF'
        """
    }

    /// Decodes a row of ``devices(_:)``.
    static func row(_ row: PostgresRow) throws -> Row {
        let (id, type, supplier, commissioned, cellSet, history) = try row.decode((String, String, String, String?, Int32, String?).self)
        return (DeviceRowText(id: id, type: type, supplier: supplier, commissionedAt: commissioned, cellSet: Int(cellSet),
                              lastRequest: nil, recordedCounter: nil), history)
    }

    /// Where the device table's statistics split its IDs into ranges of about as many devices
    /// each (the bounds of `pg_stats`' histogram, in the store's order); none before `analyze`.
    static func rangeBounds(over session: PostgresSession) throws(StoreError) -> [String] {
        let bounds = try session.rows("""
            select histogram_bounds::text::text[] from pg_stats
            where schemaname = 'anchordesk' and tablename = 'devices' and attname = 'id'
            """) { try $0.decode([String]?.self) }.first ?? nil
        var unique: [String] = []
        for bound in (bounds ?? []).sorted(by: PostgresReportReader.precedes) where unique.last != bound {
            unique.append(bound)
        }
        return unique
    }
}
