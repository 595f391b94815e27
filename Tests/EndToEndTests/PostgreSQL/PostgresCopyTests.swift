import Foundation
import Testing

extension PostgreSQLTests {
    /// A store moves between backends with its history: the audit export is the same line for line.
    @Suite struct Copy {
        @Test func aRoundTripFromADirectoryThroughPostgreSQLGivesTheSameAuditExport() throws {
            let directory = try DemoStore()
            defer { directory.remove() }
            #expect(try directory.run(["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb"]).exitCode == 0)
            #expect(try directory.run(["request", "6.21", "--as", "heron-energy", "--device", "00-DB-12-01-73-F7-8B-92", "--gno", "cadent"]).exitCode == 0)
            #expect(try directory.run(["org", "subscribe", "northern-gas-networks"]).exitCode != 4)
            let original = try directory.run(["audit", "export"])
            #expect(original.exitCode == 0 && !original.stdout.isEmpty)

            let store = try PostgresTestStore(initialise: false)
            defer { store.remove() }
            let environment = ["PGPASSWORD": PostgresTestServer.adminPassword, "ANCHORDESK_PG_LOCAL": store.machine("admin")]
            let there = try AnchorDeskProcess.run(["store", "copy", "--from", directory.path, "--to", store.url()], environment: environment)
            #expect(there.exitCode == 0, "\(there.stderr)")
            #expect(try store.run(["audit", "export"], machine: "another").stdout == original.stdout)
            #expect(try store.run(["store", "check"], machine: "another").exitCode == 0)

            // Work continues on PostgreSQL, from a machine that never saw the directory.
            let more = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-02-2F-AE-E4-4E", "--cert", "acb"],
                                     machine: "another", environment: ["ANCHORDESK_KEYS": directory.path + "/demo-user-keys"])
            #expect(more.exitCode == 0, "\(more.stderr)")
            let onPostgres = try store.run(["audit", "export"])

            let back = directory.root.appendingPathComponent("back").path
            let home = try AnchorDeskProcess.run(["store", "copy", "--from", store.url(), "--to", back], environment: environment)
            #expect(home.exitCode == 0, "\(home.stderr)")
            #expect(try AnchorDeskProcess.run(["audit", "export", "--store", back]).stdout == onPostgres.stdout)
            #expect(onPostgres.stdout.hasPrefix(original.stdout) && onPostgres.stdout.count > original.stdout.count)
            #expect(try AnchorDeskProcess.run(["store", "check", "--store", back]).exitCode == 0)
            #expect(try AnchorDeskProcess.run(["request", "6.21", "--as", "kestrel-supply", "--device", "00-DB-12-02-2F-AE-E4-4E", "--gno", "cadent",
                                               "--store", back]).exitCode == 0)

            let refused = try AnchorDeskProcess.run(["store", "copy", "--from", directory.path, "--to", store.url()], environment: environment)
            #expect(refused.exitCode == 2 && refused.stderr.contains("--force"), "\(refused.stderr)")
        }
    }
}
