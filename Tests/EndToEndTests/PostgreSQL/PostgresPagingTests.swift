import AnchorCore
import AnchorService
@testable import AnchorPostgres
import AnchorService
import AnchorStore
import AnchorTUI
import Foundation
import Testing

extension PostgreSQLTests {
    /// The device table the console pages through when a store is too large to read whole: it shows what
    /// the whole store shows, however it is paged, after requests of every outcome, and after
    /// `store migrate` fills it for a store made before it existed.
    @Suite struct Paging {
        static let device = "00-DB-12-01-73-F7-8B-92"

        /// A hand-back, a handover above its counter, and a rejected request: each changes what a row shows.
        static func makeHistory(_ store: PostgresTestStore) throws {
            let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"])
            try #require(handBack.exitCode == 0, "\(handBack.stderr)")
            let placed = try store.run(["request", "6.21", "--as", "heron-energy", "--device", device, "--gno", "cadent"],
                                       environment: ["ANCHORDESK_KEYS": store.demoUserKeys])
            try #require(placed.exitCode == 0, "\(placed.stderr)")
            // SGN does not hold this device's NO cell (Cadent does now): rejected, and logged.
            let refused = try store.run(["request", "6.15.1", "--as", "sgn", "--device", device, "--cert", "acb"])
            try #require(refused.exitCode == 1, "\(refused.stdout)\(refused.stderr)")
        }

        /// The backend as a console on a machine of its own opens it.
        static func backend(_ store: PostgresTestStore, machine: String) throws -> PostgresStore {
            PostgresStore(location: try PostgresLocation(url: store.url()),
                          environment: try store.dspHost(machine))
        }

        /// A paged console lets due future-dated commands execute as a console that read its store
        /// whole does: the database says when one is due (index reads), a writer session runs it,
        /// and no local copy of the records is made.
        @Test func aPagedConsoleLetsDueCommandsExecute() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let scheduled = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", Self.device, "--cert", "acb",
                                           "--execute-at", "2026-12-01T00:00:00Z"], environment: ["ANCHORDESK_NOW": "2026-11-25T09:00:00Z"])
            try #require(scheduled.exitCode == 0, "\(scheduled.stderr)")
            let machine = "due-desk"
            let id = try #require(EUI64(Self.device))
            let backend = try Self.backend(store, machine: machine)
            #expect(try !backend.hasDueAlertWork(at: Timestamp(iso8601: "2026-11-30T23:59:59Z")!))
            let after = Timestamp(iso8601: "2026-12-01T00:05:00Z")!
            #expect(try backend.hasDueAlertWork(at: after))
            func console(readOnly: Bool) -> DiskStoreService {
                DiskStoreService(directory: backend.directory, readOnly: readOnly, demoData: nil, userKeys: store.demoUserKeys, backend: backend,
                                 estateStore: PostgresEstateStore(backend), pageAbove: 0, clock: ServiceClock { after })
            }
            #expect(console(readOnly: true).processDueAlerts() == .nothingDue, "a read-only console writes nothing")
            guard case .processed(let summary?) = console(readOnly: false).processDueAlerts() else {
                Issue.record("the due command was not executed")
                return
            }
            #expect(summary.contains("1 arrived"), "\(summary)")
            #expect(try !backend.hasDueAlertWork(at: after))
            #expect(console(readOnly: false).processDueAlerts() == .nothingDue)
            let page = try backend.page(.at(id), filter: .all, sort: DeviceSort(), limit: 1)
            #expect(page.preview.estate.ledger.recordedCounters[id] != nil, "the alert recorded the counter")
            #expect(!FileManager.default.fileExists(atPath: store.machine(machine) + "/" + Store.snapshotName), "no local copy was made")
        }

        /// What the devices table shows of each row.
        struct Row: Equatable, CustomStringConvertible {
            var id: EUI64, type: DeviceType, supplier: String, owner: String?, recorded: OriginatorCounter?, lastRequest: String?
            var description: String { "\(id) \(supplier) \(owner ?? "-") \(recorded?.description ?? "-") \(lastRequest ?? "-")" }

            init(_ device: Device, _ ledger: Ledger) {
                id = device.id
                type = device.type
                supplier = device.supplier
                owner = DeviceList.networkOperatorOwner(device, ledger)
                recorded = ledger.recordedCounters[device.id]
                lastRequest = ledger.lastRequest(for: device.id).map { "\($0.requestId) \($0.outcome.rawValue) \($0.reason?.rawValue ?? "")" }
            }
        }

        /// A page's rows in the order it was read in (its estate holds them in ID order).
        static func rows(_ page: DevicePage) -> [Row] {
            let estate = page.preview.estate
            return DeviceList.rows(estate, filter: .all, sort: page.sort).map { Row(estate.devices[Int($0)], estate.ledger) }
        }

        /// Every row of a filter in an order, paged forwards, and backwards from the last page.
        static func paged(_ pager: some DevicePaging, _ filter: DeviceFilter, sort: DeviceSort = DeviceSort(),
                          limit: Int) throws -> (forwards: [Row], backwards: [Row], matching: Int) {
            var forwards: [Row] = []
            var page = try pager.page(.first, filter: filter, sort: sort, limit: limit)
            let matching = page.matching
            while true {
                let shown = rows(page)
                forwards += shown
                guard let last = shown.last, shown.count == limit else { break }
                page = try pager.page(.after(last.id), filter: filter, sort: sort, limit: limit)
            }
            var backwards: [Row] = []
            page = try pager.page(.last, filter: filter, sort: sort, limit: limit)
            while true {
                let shown = rows(page)
                backwards = shown + backwards
                guard let first = shown.first, shown.count == limit else { break }
                page = try pager.page(.before(first.id), filter: filter, sort: sort, limit: limit)
            }
            return (forwards, backwards, matching)
        }

        /// Every sort the console offers: by each column either way, and the store's order reversed.
        static let sorts = DeviceColumn.allCases.flatMap { [DeviceSort(column: $0), DeviceSort(column: $0, ascending: false)] }
            + [DeviceSort(ascending: false)]

        /// Pages, filtered and sorted, against the whole store read by the same machine.
        static func expectPagesMatchTheWholeStore(_ store: PostgresTestStore, machine: String) throws {
            let backend = try backend(store, machine: machine)
            let whole = try backend.open(access: .readOnly)
            defer { whole.close() }
            let estate = whole.estate
            func expect(_ text: String, _ sort: DeviceSort, limit: Int) throws {
                let filter = try DeviceFilter(parsing: text)
                let expected = DeviceList.rows(estate, filter: filter, sort: sort).map { Row(estate.devices[Int($0)], estate.ledger) }
                let (forwards, backwards, matching) = try paged(backend, filter, sort: sort, limit: limit)
                let named = "'\(text)' by \(sort.column.map { "\($0)" } ?? "ID") \(sort.ascending ? "ascending" : "descending")"
                #expect(matching == expected.count, "\(named)")
                #expect(forwards == expected, "\(named) forwards: \(zip(forwards, expected).first { $0 != $1 }.map { "\($0) ≠ \($1)" } ?? "lengths differ")")
                #expect(backwards == expected, "\(named) backwards")
            }
            for text in ["", "no=cadent", "no=dcc-acb", "no=national-grid", "no=nobody"] {
                try expect(text, DeviceSort(), limit: 7)
            }
            for text in ["", "no=national-grid", "supplier=heron-energy counter"] {
                for sort in sorts { try expect(text, sort, limit: 20) }
            }
            #expect(try backend.deviceCount() == estate.devices.count)
            try expectPagesHoldTheDevicesWithTheirHistories(backend, estate)
        }

        /// Each page holds its devices whole (floors, held commands) with their histories, as the
        /// whole store holds them; the page that starts at a device starts with it; the
        /// organisations' counts are the whole store's.
        static func expectPagesHoldTheDevicesWithTheirHistories(_ backend: PostgresStore, _ estate: Estate) throws {
            var start = DevicePageStart.first
            var seen = 0
            while true {
                let page = try backend.page(start, filter: .all, sort: DeviceSort(), limit: 50)
                let part = page.preview.estate
                for device in part.devices {
                    #expect(device == estate.devices[device.id], "\(device.id)")
                    #expect(part.ledger.requests(for: device.id) == estate.ledger.requests(for: device.id), "\(device.id)")
                    #expect(part.ledger.counterHistory[device.id] == estate.ledger.counterHistory[device.id], "\(device.id)")
                    #expect(part.ledger.recordedCounters[device.id] == estate.ledger.recordedCounters[device.id], "\(device.id)")
                }
                #expect(part.ledger.requests.allSatisfy { part.devices[$0.device] != nil }, "only the page's devices' histories")
                seen += part.devices.count
                guard let last = part.devices.last, part.devices.count == 50 else { break }
                start = .after(last.id)
            }
            #expect(seen == estate.devices.count)
            let middle = estate.devices[estate.devices.count / 2].id
            let at = try backend.page(.at(middle), filter: .all, sort: DeviceSort(), limit: 3)
            #expect(at.preview.estate.devices.map(\.id) == Array(estate.devices.map(\.id).drop { $0 != middle }.prefix(3)))
            #expect(try backend.holdings() == OrganisationHoldings(estate: estate).counts)
        }

        @Test func pagesShowWhatTheWholeStoreShowsAfterRequestsOfEveryOutcome() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            try Self.makeHistory(store)
            try Self.expectPagesMatchTheWholeStore(store, machine: "console")
            let cadentRows = try Self.paged(try Self.backend(store, machine: "console"), try DeviceFilter(parsing: "no=cadent"), limit: 500)
            let row = try #require(cadentRows.forwards.first { $0.id.description == Self.device })
            #expect(row.lastRequest?.hasSuffix("rejected not-authorised") == true, "\(row)")
            #expect(row.recorded != nil)

            // The console's own service pages a store above its threshold, and not one below.
            let backend = try Self.backend(store, machine: "console")
            let paging = DiskStoreService(directory: backend.directory, readOnly: true, demoData: nil, backend: backend, pageAbove: 0)
            let first = try #require(paging.firstPage())
            #expect(first.preview.deviceCount == 221 && first.matching == 221 && first.preview.estate.devices.count == 221)
            guard case .success(let cadent) = paging.page(.first, filter: try DeviceFilter(parsing: "no=cadent"), sort: DeviceSort()) else {
                Issue.record("no=cadent was not paged")
                return
            }
            #expect(cadent.preview.estate.devices.allSatisfy { DeviceList.networkOperatorOwner($0, cadent.preview.estate.ledger) == "cadent" })
            // Any other filter is paged too, counted in a pass that is kept until something is committed.
            let counted = try DeviceFilter(parsing: "counter")
            let expectedCount = { () throws -> Int in
                let whole = try backend.open(access: .readOnly)
                defer { whole.close() }
                return whole.estate.devices.filter { counted.matches($0, in: whole.estate.ledger) }.count
            }
            guard case .success(let before) = paging.page(.first, filter: counted, sort: DeviceSort()) else {
                Issue.record("'counter' was not paged")
                return
            }
            let countedBefore = try expectedCount()
            #expect(before.matching == countedBefore && before.matching > 0)
            let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-02-2F-AE-E4-4E", "--cert", "acb"])
            try #require(handBack.exitCode == 0, "\(handBack.stderr)")
            guard case .success(let after) = paging.page(.first, filter: counted, sort: DeviceSort()) else {
                Issue.record("'counter' was not paged after a commit")
                return
            }
            let countedAfter = try expectedCount()
            #expect(after.matching == before.matching + 1 && after.matching == countedAfter, "\(before.matching) then \(after.matching)")
            // A lifecycle dialog's counts, from the database, are the whole store's.
            let whole = try backend.open(access: .readOnly)
            for organisation in ["national-grid", "cadent", "heron-energy"] {
                let expected = LifecycleCounts(holding: whole.estate.devicesHoldingCertificates(of: organisation).count,
                                               handBack: LifecycleDraft.handBackDevices(of: organisation, in: whole.estate).count)
                guard case .success(let counts) = paging.lifecycleCounts(organisation) else {
                    Issue.record("\(organisation): not counted")
                    continue
                }
                #expect(counts == expected && counts.holding > 0, "\(organisation)")
            }
            whole.close()
            let notPaging = DiskStoreService(directory: backend.directory, readOnly: true, demoData: nil, backend: backend, pageAbove: 221)
            #expect(notPaging.firstPage() == nil)
        }

        @Test func storeMigrateMovesASchemaTwoStoreToRowsLosingNothing() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            try Self.makeHistory(store)
            let login = try store.makeOperator(granted: ["cadent"])
            let exportBefore = try store.run(["audit", "export"])
            try #require(exportBefore.exitCode == 0, "\(exportBefore.stderr)")
            // The database as schema version 2 left it: its append_changes, and no rows per device beyond the page's.
            let downgraded = store.psql("""
                drop function anchordesk.append_decided(text[], text[], text[]);
                drop function anchordesk.lock_devices(text[]); drop function anchordesk.lock_counters(text[]);
                drop table anchordesk.device_history; drop table anchordesk.organisation_counters; drop table anchordesk.snapshot_lifecycle;
                alter table anchordesk.changes drop column device;
                alter table anchordesk.devices drop column floors, drop column pending, drop column last_alert_counter,
                    drop column due_at, drop column scheduled, drop column alerts_waiting;
                alter table anchordesk.head drop column history_sequence;
                \(PostgresSchema.appendChanges(keepingDevices: true));
                update anchordesk.schema_version set version = 2
                """)
            try #require(downgraded.exitCode == 0, "\(downgraded.stderr)")
            let refused = try store.run(["request", "6.15.1", "--as", "cadent", "--device", Self.device, "--cert", "acb"])
            #expect(refused.exitCode == 3 && refused.stderr.contains("store migrate"), "\(refused.stderr)")

            let notAdministrator = try store.run(["store", "migrate"], login: login, password: "operator-secret", machine: "operator")
            #expect(notAdministrator.exitCode == 1 && notAdministrator.stderr.contains("only the store's administrator"),
                    "\(notAdministrator.stderr)")
            let migrated = try store.run(["store", "migrate"])
            #expect(migrated.exitCode == 0, "\(migrated.stderr)")
            #expect(try store.run(["audit", "export"], machine: "after-migrate").stdout == exportBefore.stdout,
                    "the audit export changed in the migration")
            try Self.expectPagesMatchTheWholeStore(store, machine: "after-migrate")
            // From here the rows decide: hand the device back from Cadent, on a DSP host.
            let handBack = try store.run(["request", "6.15.1", "--as", "cadent", "--device", Self.device, "--cert", "acb"],
                                         machine: "after-migrate", environment: ["ANCHORDESK_KEYS": store.demoUserKeys])
            #expect(handBack.exitCode == 0, "\(handBack.stderr)")
            try Self.expectPagesMatchTheWholeStore(store, machine: "after-migrate")
            let verified = try store.run(["audit", "verify"], machine: "after-migrate")
            #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        }
    }
}

extension PostgreSQLTests.Paging {
    /// `anchordesk devices` on PostgreSQL reads its device table a page at a time, and shows what
    /// the same store copied to a directory shows, for every kind of filter term.
    @Test func devicesListsFromTheDeviceTableWhatTheWholeStoreShows() throws {
        var store = try PostgresTestStore()
        defer { store.remove() }
        try Self.makeHistory(store)
        let copy = store.root.appendingPathComponent("copy").path
        let copied = try AnchorDeskProcess.run(["store", "copy", "--from", store.url(), "--to", copy], environment: [
            "PGPASSWORD": PostgresTestServer.adminPassword, "ANCHORDESK_PG_LOCAL": store.machine("copier"),
        ])
        try #require(copied.exitCode == 0, "\(copied.stderr)")
        let cases: [[String]] = [
            [], ["--filter", "no=cadent"], ["--filter", "supplier=heron-energy"], ["--filter", "type=GPF"], ["--filter", "counter"],
            ["--filter", "00DB12"], ["--filter", "00DB120173F78B92"], ["--filter", "00-db-12-01-73-f7-8b-92 counter"], ["--filter", "no=dcc-acb counter supplier=kestrel-supply"], ["--filter", "no=national-grid", "--limit", "7"],
            ["--limit", "600"], ["--filter", "no=cadent no=sgn"], ["--filter", "no=smki-root"], ["--limit", "0"],
            ["--filter", "counter", "--limit", "0"],
        ]
        for arguments in cases {
            for format in [["--json"], []] {
                let fromTable = try store.run(["devices"] + arguments + format)
                let fromCopy = try AnchorDeskProcess.run(["devices"] + arguments + format + ["--store", copy])
                #expect(fromTable.exitCode == 0 && fromCopy.exitCode == 0, "\(arguments): \(fromTable.stderr)\(fromCopy.stderr)")
                #expect(fromTable.stdout == fromCopy.stdout, "\(arguments) \(format)")
            }
        }
        // A login granted nothing reads no device, in one line.
        let stranger = try store.makeOperator(granted: [])
        let refused = try store.run(["devices"], login: stranger, password: "operator-secret", machine: "stranger")
        #expect(refused.exitCode == 1 && refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains("not granted"),
                "\(refused.stderr)")
    }
}
