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

        /// A store above the paging threshold: the first page comes from the device table, the
        /// whole store is read behind it on a thread of its own and then replaces it.
        @Test(.enabled(if: TUISmokeTests.tmux != nil, "tmux is not on PATH: the console test needs it (CI installs it)"))
        func aPagedConsoleGetsTheWholeStoreBehindItsPages() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb"])
            #expect(handBack.exitCode == 0, "\(handBack.stderr)")
            let session = TUISmokeTests.Session(tmux: try #require(TUISmokeTests.tmux))
            defer { session.kill() }
            try session.openConsole(store: store.url(), environment: [
                "PGPASSWORD=\(PostgresTestServer.adminPassword)", "ANCHORDESK_PG_LOCAL=\(store.machine("paging-desk"))",
                "ANCHORDESK_PAGE_ABOVE=0",
            ])
            _ = try session.waitFor(text: "221 of 221 devices", seconds: 10)
            try session.keys("/")
            try session.type("no=dcc-acb")
            try session.keys("Enter")
            let screen = try session.waitFor(text: "of 221 devices match 'no=dcc-acb'")
            #expect(screen.contains("00-DB-12-01-73-F7-8B-92"), "the hand-back shows in the whole store: \(screen)")
            #expect(!screen.contains("error") && !screen.contains(PostgresTestServer.adminPassword))
            try session.keys("q")
        }
    }
}
