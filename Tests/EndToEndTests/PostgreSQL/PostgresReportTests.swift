import AnchorCore
@testable import AnchorPostgres
import AnchorService
import AnchorStore
import Foundation
import Testing

extension PostgreSQLTests {
    /// Both reports on PostgreSQL read only the devices they name, a part at a time
    /// (``PostgresReportReader``), and show what the whole store shows: after hand-backs,
    /// handovers, a scheduled and a failed hand-back and an organisation's cease, and for a store
    /// whose lifecycle log is in its snapshot (made by `store copy`, then migrated from schema 3).
    @Suite struct Reports {
        static let handedBack = "00-DB-12-01-73-F7-8B-92"
        static let due = "2026-12-01T00:00:00Z"
        static let afterDue = ["ANCHORDESK_NOW": "2026-12-01T00:00:30Z"]

        /// A hand-back and handover, a hand-back scheduled far ahead, one that fails when due
        /// (the GNO's own SRV6.15.1 moved the floor first), and Wales & West's cease with hand-back.
        static func makeHistory(_ run: ([String], [String: String]) throws -> AnchorDeskProcess.Result, userKeys: String) throws {
            let keys = ["ANCHORDESK_KEYS": userKeys]
            let steps: [([String], [String: String])] = [
                (["request", "6.15.1", "--as", "national-grid", "--device", handedBack, "--cert", "acb"], keys),
                (["request", "6.21", "--as", "heron-energy", "--device", handedBack, "--gno", "cadent"], keys),
                (["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-02-2F-AE-E4-4E", "--cert", "acb",
                  "--execute-at", "2027-06-01T00:00:00Z"], keys),
                (["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-07-96-DC-E0-B1", "--cert", "acb",
                  "--execute-at", due], keys),
                (["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-07-96-DC-E0-B1", "--cert", "national-grid"], keys),
                (["alerts", "process"], keys.merging(afterDue) { $1 }),
                (["org", "cease", "wales-west", "--hand-back"], keys.merging(afterDue) { $1 }),
            ]
            for (arguments, environment) in steps {
                let result = try run(arguments, environment)
                try #require(result.exitCode == 0, "\(arguments.joined(separator: " ")): \(result.stdout)\(result.stderr)")
            }
        }

        /// The store copied to a directory, read whole.
        static func wholeCopy(of store: PostgresTestStore) throws -> (path: String, estate: Estate) {
            let copy = store.root.appendingPathComponent("copy-\(UUID().uuidString.prefix(6))").path
            let copied = try AnchorDeskProcess.run(["store", "copy", "--from", store.url(), "--to", copy], environment: [
                "PGPASSWORD": PostgresTestServer.adminPassword, "ANCHORDESK_PG_LOCAL": store.machine("copier"),
            ])
            try #require(copied.exitCode == 0, "\(copied.stderr)")
            let opened = try Store.open(at: copy, access: .readOnly)
            defer { opened.close() }
            return (copy, opened.estate)
        }

        /// Both reports through the service on PostgreSQL, `partSize` devices a part, against
        /// the same reports over the whole estate.
        static func expectReportsMatch(_ store: PostgresTestStore, _ whole: Estate, partSize: Int) throws {
            let backend = PostgresStore(location: try PostgresLocation(url: store.url()),
                                        environment: ["PGPASSWORD": PostgresTestServer.adminPassword, "ANCHORDESK_PG_LOCAL": store.machine("reader")])
            let service = EstateService(store: PostgresEstateStore(backend, reportPartSize: partSize),
                                        clock: .fixed(Timestamp(iso8601: "2026-12-02T00:00:00Z")!), settings: ServiceSettings())
            var risk: [CounterRiskReport.Row] = []
            try service.counterRisk(warn: { _ in }) { risk.append($0) }
            let expectedRisk = CounterRiskReport(estate: whole).rows
            #expect(risk == expectedRisk, "counter-risk in parts of \(partSize): \(firstDifference(risk, expectedRisk))")
            #expect(Set(expectedRisk.map(\.risk)) == Set(CounterRiskReport.Risk.allCases), "the history gives every kind of risk")
            let filter = CounterRiskReport.Filter(risk: .noRecordedCounter, organisation: "national-grid")
            var kept: [CounterRiskReport.Row] = []
            try service.counterRisk(filter: filter, warn: { _ in }) { kept.append($0) }
            #expect(kept == expectedRisk.filter(filter.matches), "counter-risk filtered in parts of \(partSize)")
            for asOf in ["2023-05-10T00:00:00Z", "2026-12-02T00:00:00Z"].compactMap(Timestamp.init(iso8601:)) {
                var rows: [PostCommissioningReport.Row] = []
                let totals = try service.postCommissioning(asOf: asOf, warn: { _ in }) { rows.append($0) }
                let expected = PostCommissioningReport(estate: whole, asOf: asOf)
                #expect(rows == expected.rows, "post-commissioning as of \(asOf) in parts of \(partSize): \(firstDifference(rows, expected.rows))")
                #expect(totals.bySupplier == expected.totals)
            }
        }

        /// Where two lists of rows first differ, briefly.
        static func firstDifference<Row: Equatable>(_ rows: [Row], _ expected: [Row]) -> String {
            guard let index = (0..<min(rows.count, expected.count)).first(where: { rows[$0] != expected[$0] }) else {
                return "\(rows.count) rows, the whole store \(expected.count)"
            }
            return "row \(index): \(rows[index]), the whole store: \(expected[index])"
        }

        @Test func reportsReadInPartsShowWhatTheWholeStoreShows() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            try Self.makeHistory({ try store.run($0, environment: $1) }, userKeys: store.demoUserKeys)
            let (copy, whole) = try Self.wholeCopy(of: store)
            #expect(whole.ledger.lifecycle.contains { $0.action == .cease && $0.organisation == "wales-west" })
            for partSize in [1, 7, 20_000] { try Self.expectReportsMatch(store, whole, partSize: partSize) }
            // The CLI, in every format, filtered and sorted or not, prints what it prints for the
            // directory (the CSV's summary on stderr too).
            let postCommissioning = ["post-commissioning", "--as-of", "2026-12-02"]
            let reports = [["counter-risk"], postCommissioning,
                           ["counter-risk", "--org", "national-grid", "--sort", "risk"],
                           ["counter-risk", "--reason", "no-recorded-counter", "--sort", "supplier"],
                           postCommissioning + ["--verdict", "non-compliant", "--sort", "supplier"],
                           postCommissioning + ["--org", "cadent", "--sort", "deadline"]]
            var csvRows: [Int] = []
            for report in reports {
                for format in ["csv", "json", "table"] {
                    let onDatabase = try store.run(["report"] + report + ["--format", format], machine: "cli")
                    let onDirectory = try AnchorDeskProcess.run(["report"] + report + ["--format", format, "--store", copy])
                    #expect(onDatabase.exitCode == 0 && onDatabase.stdout == onDirectory.stdout, "\(report) \(format): \(onDatabase.stderr)")
                    guard format == "csv" else { continue }
                    #expect(onDatabase.stderr == onDirectory.stderr, "\(report): \(onDatabase.stderr)")
                    csvRows.append(onDatabase.stdout.split(separator: "\n").count - 1)
                }
            }
            #expect(csvRows[2..<4].allSatisfy { $0 > 0 && $0 < csvRows[0] } && csvRows[4...].allSatisfy { $0 > 0 && $0 < csvRows[1] },
                    "each filter keeps some rows, not all: \(csvRows)")
            let unknown = try store.run(["report", "counter-risk", "--org", "nationalgrid"], machine: "cli")
            #expect(unknown.exitCode == 2 && unknown.stdout.isEmpty && unknown.stderr == "error: no organisation 'nationalgrid': did you mean 'national-grid'?\n", "\(unknown.stderr)")
            #expect(!FileManager.default.fileExists(atPath: store.machine("cli") + "/" + Store.snapshotName),
                    "the reports made no local copy of the records")
        }

        @Test func aLifecycleLogInTheSnapshotIsReadAfterCopyAndMigrate() throws {
            let directory = try DemoStore()
            defer { directory.remove() }
            try Self.makeHistory({ try directory.run($0, environment: $1) }, userKeys: directory.path + "/demo-user-keys")
            var store = try PostgresTestStore(initialise: false)
            defer { store.remove() }
            let copied = try AnchorDeskProcess.run(["store", "copy", "--from", directory.path, "--to", store.url()], environment: [
                "PGPASSWORD": PostgresTestServer.adminPassword, "ANCHORDESK_PG_LOCAL": store.machine("admin"),
            ])
            try #require(copied.exitCode == 0, "\(copied.stderr)")
            let whole = try Store.open(at: directory.path, access: .readOnly).estate
            try Self.expectReportsMatch(store, whole, partSize: 50)
            // As schema version 3 left it: the snapshot's lifecycle log only in the snapshot.
            let downgraded = store.psql("drop table anchordesk.snapshot_lifecycle; update anchordesk.schema_version set version = 3")
            try #require(downgraded.exitCode == 0, "\(downgraded.stderr)")
            let refused = try store.run(["report", "counter-risk"])
            #expect(refused.exitCode == 3 && refused.stderr.contains("store migrate"), "\(refused.stderr)")
            let migrated = try store.run(["store", "migrate"])
            try #require(migrated.exitCode == 0, "\(migrated.stderr)")
            try Self.expectReportsMatch(store, whole, partSize: 50)
        }

        /// The histories' table holds each device's row as it was when the histories were
        /// written (schema version 6), which is stale for a device with records since: such a
        /// device is reported as its row is now. Here Cadent hands back the GPF it took over
        /// after the store was copied, so its cell set and recorded counter change.
        @Test func aDeviceWithRecordsSinceItsHistoryIsReportedAsItIsNow() throws {
            let directory = try DemoStore()
            defer { directory.remove() }
            let userKeys = directory.path + "/demo-user-keys"
            try Self.makeHistory({ try directory.run($0, environment: $1) }, userKeys: userKeys)
            var store = try PostgresTestStore(initialise: false)
            defer { store.remove() }
            let copied = try AnchorDeskProcess.run(["store", "copy", "--from", directory.path, "--to", store.url()], environment: [
                "PGPASSWORD": PostgresTestServer.adminPassword, "ANCHORDESK_PG_LOCAL": store.machine("admin"),
            ])
            try #require(copied.exitCode == 0, "\(copied.stderr)")
            let handBack = try store.run(["request", "6.15.1", "--as", "cadent", "--device", Self.handedBack, "--cert", "acb"],
                                         environment: ["ANCHORDESK_KEYS": userKeys])
            try #require(handBack.exitCode == 0, "\(handBack.stdout)\(handBack.stderr)")
            let written = store.psql("select cell_set from anchordesk.device_history where device = '\(Self.handedBack)'")
            let now = store.psql("select cell_set from anchordesk.devices where id = '\(Self.handedBack)'")
            #expect(written.exitCode == 0 && !written.stdout.isEmpty && written.stdout != now.stdout,
                    "the histories' table holds the row as it was: \(written.stdout) \(now.stdout)")
            let (_, whole) = try Self.wholeCopy(of: store)
            #expect(CounterRiskReport(estate: whole).rows.contains { $0.device.description == Self.handedBack })
            for partSize in [1, 50] { try Self.expectReportsMatch(store, whole, partSize: partSize) }
        }

        /// What the database gives a report changes nothing it prints (helper 22's findings): a
        /// connection limit of one (the report reads on one session, not two), a database in
        /// LATIN1 holding a Supplier another client wrote in UTF-8, and histories of a megabyte
        /// each (a part's text never holds them, so it stays far below 1 GB however long they grow).
        @Test func aReportReadsTheSameOnOneConnectionInLATIN1WithLongHistories() throws {
            let store = try PostgresTestStore(options: "encoding 'LATIN1' template template0 lc_collate 'C' lc_ctype 'C'")
            defer { store.remove() }
            let report = ["report", "counter-risk", "--format", "csv"]
            let before = try store.run(report, machine: "cli")
            try #require(before.exitCode == 0, "\(before.stderr)")
            let row = try #require(before.stdout.split(separator: "\n").first { $0.contains(",no-recorded-counter,") })
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            let (device, supplier) = (String(fields[0]), String(fields[1]))
            // 'é' as another client would write it in UTF-8, whatever this psql's client encoding.
            let changed = store.psql("""
                update anchordesk.devices set supplier = 'kestrel-' || convert_from('\\xc3a9'::bytea, 'UTF8') where id = '\(device)';
                update anchordesk.device_history set history = '{' || repeat(' ', 1000000) || substr(history, 2);
                alter database \(store.database) connection limit 1
                """)
            try #require(changed.exitCode == 0, "\(changed.stderr)")
            let after = try store.run(report, machine: "cli")
            #expect(after.exitCode == 0, "\(after.stderr)")
            #expect(after.stdout == before.stdout.replacingOccurrences(of: "\(device),\(supplier),", with: "\(device),kestrel-é,"))
            #expect(after.stderr == before.stderr)
        }

        /// A part that cannot be built (a damaged history row) ends the report with one error:
        /// the part read ahead is dropped and the reading thread stops before the transaction ends.
        @Test func aDamagedHistoryEndsTheReportWithOneError() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb"])
            try #require(handBack.exitCode == 0, "\(handBack.stderr)")
            let damaged = store.psql("update anchordesk.device_history set history = '{\"recorded\":' where device = (select min(device) from anchordesk.device_history) returning device")
            try #require(damaged.exitCode == 0 && !damaged.stdout.isEmpty, "\(damaged.stderr)")
            for report in [["counter-risk"], ["post-commissioning"]] {
                let result = try store.run(["report"] + report + ["--format", "csv"], machine: "cli")
                #expect(result.exitCode != 0 && result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1,
                        "\(report): \(result.exitCode) \(result.stderr)")
                #expect(!result.stderr.contains(PostgresTestServer.adminPassword))
            }
        }

        /// Counter-risk's unlogged GPFs come as their IDs one after another, 23 bytes each: IDs
        /// of other lengths that add up (24 and 22 bytes, helper 24's finding) would be cut into
        /// other, valid IDs. The database counts them, and any is a corrupt store, not a report
        /// naming devices that are not there.
        @Test func unloggedIDsOfAnotherLengthEndTheReportWithOneError() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let odd = store.psql("""
                update anchordesk.devices set id = case id when '00-DB-12-FF-0D-AF-7A-74' then '00-DB-12-FF-0D-AF-7A-741'
                    else '1-DB-12-99-99-99-99-99' end
                where id in ('00-DB-12-FF-0D-AF-7A-74', '00-DB-12-FD-F4-6E-FB-F8') returning id
                """)
            try #require(odd.exitCode == 0 && odd.stdout.split(separator: "\n").count == 2, "\(odd.stdout)\(odd.stderr)")
            let result = try store.run(["report", "counter-risk", "--format", "csv"], machine: "cli")
            #expect(result.exitCode == 3 && result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1,
                    "\(result.exitCode) \(result.stderr)")
            #expect(!result.stdout.contains("11-DB-12-99-99-99-99-99") && !result.stdout.contains("00-DB-12-FF-0D-AF-7A-74"), "\(result.stdout)")
        }
    }
}
