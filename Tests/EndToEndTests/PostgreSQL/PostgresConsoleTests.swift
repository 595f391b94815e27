import AnchorStore
import Foundation
import Testing

extension PostgreSQLTests {
    /// Two operators on two machines: a console open on one sees the other's request within a
    /// second, told by the database (`LISTEN`/`NOTIFY`) rather than by polling it.
    @Suite struct Console {
        @Test(.enabled(if: TUISmokeTests.tmux != nil, "tmux is not on PATH: the console test needs it (CI installs it)"))
        func aConsoleSeesAnotherOperatorsRequestWithinASecond() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let session = TUISmokeTests.Session(tmux: try #require(TUISmokeTests.tmux))
            defer { session.kill() }
            try store.provisionDSPHost(store.machine("console-desk"))
            try session.openConsole(store: store.url(), environment: [
                "PGPASSWORD=\(PostgresTestServer.adminPassword)", "ANCHORDESK_PG_LOCAL=\(store.machine("console-desk"))",
            ])
            let device = "00-DB-12-02-2F-AE-E4-4E"
            try session.keys(":")
            try session.type(device)
            try session.keys("Enter")
            _ = try session.waitFor("the device page") { $0.contains("Device \(device)") && $0.contains("NO cell national-grid") }

            let sent = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"], machine: "gno-desk",
                                     environment: ["ANCHORDESK_KEYS": store.demoUserKeys])
            #expect(sent.exitCode == 0, "\(sent.stderr)")
            let seen = Date()
            _ = try session.waitFor(text: "NO cell dcc-acb", seconds: 5)
            #expect(Date().timeIntervalSince(seen) < 1.5, "the console took more than a second (and the poll interval) to see it")
            #expect(!(try session.screen()).contains(PostgresTestServer.adminPassword))
            try session.keys("q", "q")
        }

        /// A store above the paging threshold is shown a page at a time and never read whole: a
        /// filter's page, a device's page with its history, the organisations' counts, the audit
        /// check, a report and a Recovery Event's plan all come from the database, and no local
        /// copy of the records is made.
        @Test(.enabled(if: TUISmokeTests.tmux != nil, "tmux is not on PATH: the console test needs it (CI installs it)"))
        func aPagedConsoleReadsEverythingFromTheDatabase() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let device = "00-DB-12-01-73-F7-8B-92"
            let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"])
            #expect(handBack.exitCode == 0, "\(handBack.stderr)")
            let session = TUISmokeTests.Session(tmux: try #require(TUISmokeTests.tmux))
            defer { session.kill() }
            let machine = store.machine("paging-desk")
            try store.provisionDSPHost(machine)
            try session.openConsole(store: store.url(), environment: [
                "PGPASSWORD=\(PostgresTestServer.adminPassword)", "ANCHORDESK_PG_LOCAL=\(machine)", "ANCHORDESK_PAGE_ABOVE=0",
            ], ready: "221 devices, read from the database a page at a time")
            try session.keys("/")
            try session.type("no=dcc-acb")
            try session.keys("Enter")
            var screen = try session.waitFor(text: "filter no=dcc-acb")
            #expect(screen.contains(device), "the hand-back shows in the page: \(screen)")
            try session.keys(":")
            try session.type(device)
            try session.keys("Enter")
            try session.keys("L")
            screen = try session.waitFor(text: "device \(device)")
            #expect(screen.contains("6.15.1") && screen.contains("national-grid"), "the device's request, from its history: \(screen)")
            try session.keys("O")
            screen = try session.waitFor(text: "dcc-acb")
            // The audit check reads a fresh copy of the records, made for it and removed after.
            try session.keys("A")
            screen = try session.waitFor(text: "audit trail intact")
            try session.keys("P")
            screen = try session.waitFor(text: "read from the database:", seconds: 20)
            #expect(screen.contains("Post-commissioning report"), "\(screen)")
            #expect(!screen.contains("error") && !screen.contains(PostgresTestServer.adminPassword))
            // A Recovery Event is planned by the database over the filter's devices, and sent.
            try session.keys(":")
            try session.type("devices")
            try session.keys("Enter")
            try session.keys("/")
            try session.keys("C-u")
            try session.type("no=national-grid")
            try session.keys("Enter")
            screen = try session.waitFor(text: "filter no=national-grid")
            let listed = try store.run(["devices", "--filter", "no=national-grid", "--json"]).json()["devices"] as? [Any]
            let count = try #require(listed?.count)
            let confirm = try session.recoveryEvent(reason: "key compromised", devices: count)
            #expect(confirm.contains("Type \(count) and press Enter"), "\(confirm)")
            try session.keys("q")
            #expect(!FileManager.default.fileExists(atPath: machine + "/" + Store.snapshotName), "no local copy of the records was made")
        }
    }
}
