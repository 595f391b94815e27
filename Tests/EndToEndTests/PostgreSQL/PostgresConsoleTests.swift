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
            _ = try session.waitFor(text: "NO cell national-grid")

            let sent = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"], machine: "gno-desk",
                                     environment: ["ANCHORDESK_KEYS": store.demoUserKeys])
            #expect(sent.exitCode == 0, "\(sent.stderr)")
            let seen = Date()
            _ = try session.waitFor(text: "NO cell dcc-acb", seconds: 5)
            #expect(Date().timeIntervalSince(seen) < 1.5, "the console took more than a second (and the poll interval) to see it")
            #expect(!(try session.screen()).contains(PostgresTestServer.adminPassword))
            try session.keys("q", "q")
        }
    }
}
