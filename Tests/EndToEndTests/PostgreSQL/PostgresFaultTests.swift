import Foundation
import Testing

extension PostgreSQLTests {
    /// The server or the writer's connection dies in the middle of a bulk run: what was
    /// acknowledged is kept, the CLI says so in one line (exit 3), and a rerun finishes the rest
    /// with nothing done twice.
    @Suite struct Faults {
        static let bulk = ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb", "--group-size", "20", "--json"]

        /// Starts the bulk run, waits for 60 acknowledgements, breaks things with `fault`, then
        /// checks the run's end (exit 3 and one error line, unless the writer itself was
        /// `killed`), the log, and a rerun.
        func interruptBulkRun(killed: Bool = false, _ fault: (PostgresTestStore, Process) -> Void) throws {
            let store = try PostgresTestStore(arguments: ["--estate", "2000"])
            defer { store.remove() }
            let before = try store.run(["devices", "--filter", "no=national-grid", "--json"]).json()["devices"] as? [[String: Any]] ?? []
            try #require(before.count > 200)

            let errors = store.root.appendingPathComponent("bulk-errors.txt")
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            let errorHandle = try FileHandle(forWritingTo: errors)
            var run = try RunningAnchorDesk(Self.bulk + ["--store", store.url()], environment: [
                "PGPASSWORD": PostgresTestServer.adminPassword, "ANCHORDESK_PG_LOCAL": store.machine("admin"),
                "ANCHORDESK_NOW": "2026-11-25T09:00:00Z",
            ], errors: errorHandle)
            run.waitForLines(60)
            fault(store, run.process)
            run.finish()
            try errorHandle.close()
            let acknowledged = run.lines.compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["requestId"] as? String
            }
            let stderr = try String(contentsOf: errors, encoding: .utf8)
            if !killed {
                #expect(run.process.terminationStatus == 3, "\(stderr)")
                let errorLines = stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
                #expect(errorLines.count == 1, "\(stderr)")
            }
            #expect(!stderr.contains(PostgresTestServer.adminPassword))
            #expect(acknowledged.count >= 60 && acknowledged.count < before.count, "the fault came part way")

            try #require(PostgresTestServer.waitUntilReachable())
            let log = try store.run(["requests", "--json"]).json()["requests"] as? [[String: Any]] ?? []
            let logged = Set(log.compactMap { $0["requestId"] as? String })
            #expect(acknowledged.allSatisfy(logged.contains), "an acknowledged request was lost")

            let rerun = try store.run(Self.bulk)
            #expect(rerun.exitCode == 0, "\(rerun.stderr)")
            let after = try store.run(["requests", "--json"]).json()["requests"] as? [[String: Any]] ?? []
            let handovers = after.filter { $0["service"] as? String == "6.15.1" && $0["outcome"] as? String == "succeeded" }
            let perDevice = Dictionary(grouping: handovers, by: { $0["device"] as? String ?? "" })
            #expect(perDevice.count == before.count, "every device was handed back")
            #expect(perDevice.values.allSatisfy { $0.count == 1 }, "a device was handed back twice")
            let remaining = try store.run(["devices", "--filter", "no=national-grid", "--json"]).json()["devices"] as? [[String: Any]]
            #expect(remaining?.isEmpty == true)
            #expect(try store.run(["audit", "verify"]).exitCode == 0)
        }

        @Test func theServerStoppedImmediatelyMidBulk() throws {
            try #require(PostgresTestServer.cluster() != nil, "pg_ctlcluster must find the server's cluster")
            try interruptBulkRun { _, _ in
                #expect(PostgresTestServer.control(["stop", "-m", "immediate"]) == 0)
                Thread.sleep(forTimeInterval: 1)
                #expect(PostgresTestServer.control(["start"]) == 0)
            }
        }

        /// The writer itself killed with `kill -9` mid-bulk: the group it was deciding is rolled
        /// back with its connection.
        @Test func theWriterKilledMidBulk() throws {
            try interruptBulkRun(killed: true) { _, writer in
                kill(writer.processIdentifier, SIGKILL)
            }
        }

        @Test func theWritersBackendTerminatedMidBulk() throws {
            try interruptBulkRun { store, _ in
                // The bulk run's one connection: the only other client of the test's database.
                let killed = store.psql("""
                    select count(pg_terminate_backend(pid)) from pg_stat_activity
                    where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
                    """)
                #expect(killed.stdout == "1\n", "\(killed.stderr)")
            }
        }
    }
}
