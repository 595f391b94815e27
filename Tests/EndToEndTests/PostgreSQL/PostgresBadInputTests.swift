import Foundation
import Testing

extension PostgreSQLTests {
    /// Every way of naming or reaching a PostgreSQL store wrongly: one line, the right exit
    /// code, no password in any output.
    @Suite struct BadInput {
        static func expectOneLine(_ result: AnchorDeskProcess.Result, exit: Int32, containing text: String, secret: String? = nil,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(result.exitCode == exit, "\(result.stderr)", sourceLocation: sourceLocation)
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)",
                    sourceLocation: sourceLocation)
            #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
            if let secret {
                #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret), sourceLocation: sourceLocation)
            }
        }

        @Test(arguments: [
            ("postgresql://", "names no database"),
            ("postgresql://127.0.0.1:5432/db", "names no login"),
            ("postgresql://user@127.0.0.1:notaport/db", "port is not a number"),
            ("postgresql://user@127.0.0.1:70000/db", "port is not from 1 to 65535"),
            ("postgresql://user@/db", "names no host"),
            ("postgresql://user@host/db?sslmode=disable", "has parameters"),
            ("postgresql://user@host/db\u{1B}[2J", "control characters"),
        ])
        func aMalformedURLIsBadInput(url: String, reason: String) throws {
            let result = try AnchorDeskProcess.run(["devices", "--store", url])
            Self.expectOneLine(result, exit: 2, containing: reason)
            #expect(!result.stderr.contains("\u{1B}"))
        }

        /// A device another writer holds past `ANCHORDESK_LOCK_TIMEOUT`: one line, exit 3, nothing written.
        @Test func aDeviceHeldByAnotherWriterPastTheTimeoutIsOneLine() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let device = "00-DB-12-01-73-F7-8B-92"
            let holder = try Self.holdRows(in: store, "select count(*) from anchordesk.lock_devices(array['\(device)'])")
            defer { Self.release(holder) }
            let before = store.psql("select count(*) from anchordesk.changes").stdout
            let started = Date()
            let result = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"],
                                       environment: ["ANCHORDESK_KEYS": store.demoUserKeys, "ANCHORDESK_LOCK_TIMEOUT": "1"])
            Self.expectOneLine(result, exit: 3, containing: "another writer holds the device")
            #expect(Date().timeIntervalSince(started) < 20, "it waited for the other writer instead of the timeout")
            #expect(store.psql("select count(*) from anchordesk.changes").stdout == before, "something was written")
            // Another device is not held: a request for it goes through meanwhile.
            let other = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-02-2F-AE-E4-4E", "--cert", "acb"],
                                      environment: ["ANCHORDESK_KEYS": store.demoUserKeys, "ANCHORDESK_LOCK_TIMEOUT": "1"])
            #expect(other.exitCode == 0, "\(other.stderr)")
        }

        /// A cease and an SRV6.21 placing that GNO's certificate each hold the GNO's counter: one
        /// waits for the other, so a cease never counts devices that a handover is filling.
        @Test func aCeaseAndAHandoverForTheSameGNOTakeTurns() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let holder = try Self.holdRows(in: store, "select count(*) from anchordesk.lock_counters(array['wales-west'])")
            defer { Self.release(holder) }
            let environment = ["ANCHORDESK_KEYS": store.demoUserKeys, "ANCHORDESK_LOCK_TIMEOUT": "1"]
            Self.expectOneLine(try store.run(["org", "cease", "wales-west"], environment: environment), exit: 3,
                               containing: "another writer holds")
            let device = try #require((try store.run(["devices", "--filter", "no=dcc-acb", "--json"]).json()["devices"] as? [[String: Any]])?.first)
            let handover = try store.run(["request", "6.21", "--as", device["supplier"] as? String ?? "", "--device", device["id"] as? String ?? "",
                                          "--gno", "wales-west"], environment: environment)
            Self.expectOneLine(handover, exit: 3, containing: "another writer holds")
            #expect(store.psql("select count(*) from anchordesk.changes").stdout == "0\n")
        }

        /// Runs `sql` in a transaction of its own that stays open (a writer holding rows), and
        /// waits until it holds them.
        static func holdRows(in store: PostgresTestStore, _ sql: String) throws -> Process {
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            holder.arguments = ["psql", "-h", PostgresTestServer.host, "-p", String(PostgresTestServer.port), "-U", PostgresTestServer.adminLogin,
                                "-d", store.database, "-qAt", "-c", "begin; \(sql); select pg_sleep(30); commit"]
            holder.environment = ["PGPASSWORD": PostgresTestServer.adminPassword, "PATH": "/usr/bin:/bin"]
            holder.standardOutput = FileHandle.nullDevice
            holder.standardError = FileHandle.nullDevice
            try holder.run()
            for _ in 0..<100 {
                if store.psql("select count(*) from pg_stat_activity where datname = current_database() and query like '%pg_sleep(30)%' and pid <> pg_backend_pid() and wait_event = 'PgSleep'")
                    .stdout == "1\n" { return holder }
                Thread.sleep(forTimeInterval: 0.05)
            }
            release(holder)
            throw PostgresTestError("the other writer did not take its rows")
        }

        static func release(_ holder: Process) {
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }

        @Test(arguments: ["postgresql", "POSTGRESQL", "Postgres"])
        func aPasswordInTheURLIsRefusedAndNeverPrinted(scheme: String) throws {
            let result = try AnchorDeskProcess.run(["devices", "--store", "\(scheme)://anchordesk_test:hunter2-secret@127.0.0.1:5432/postgres"])
            Self.expectOneLine(result, exit: 2, containing: "PGPASSWORD", secret: "hunter2-secret")
        }

        @Test(arguments: ["postgresql:/u:hunter2-secret@127.0.0.1/db", "pg://u:hunter2-secret@127.0.0.1/db"])
        func aMistypedURLIsNeitherADirectoryNorPrinted(url: String) throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-url-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try AnchorDeskProcess.run(["init", "--demo", "--store", url], workingDirectory: folder.path)
            Self.expectOneLine(result, exit: 2, containing: "postgresql://", secret: "hunter2-secret")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing was created")
        }

        @Test func aWrongPasswordIsExit3WithoutThePassword() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let result = try store.run(["devices"], password: "wrong-secret-value")
            Self.expectOneLine(result, exit: 3, containing: "password authentication failed", secret: "wrong-secret-value")
        }

        @Test func thePasswordFileIsReadAndMustBePrivate() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let file = store.root.appendingPathComponent("pgpass").path
            let line = "\(PostgresTestServer.host):\(PostgresTestServer.port):\(store.database):\(PostgresTestServer.adminLogin):\(PostgresTestServer.adminPassword)\n"
            try Data(line.utf8).write(to: URL(fileURLWithPath: file))
            chmod(file, 0o600)
            let viaFile = try store.run(["devices"], password: "", environment: ["PGPASSFILE": file])
            #expect(viaFile.exitCode == 0, "\(viaFile.stderr)")
            chmod(file, 0o644)
            let readable = try store.run(["devices"], password: "", environment: ["PGPASSFILE": file])
            Self.expectOneLine(readable, exit: 3, containing: "chmod 600", secret: PostgresTestServer.adminPassword)
        }

        @Test func anUnreachableServerIsExit3() throws {
            let result = try AnchorDeskProcess.run(["devices", "--store", "postgresql://anchordesk_test@127.0.0.1:1/postgres"],
                                                   environment: ["PGPASSWORD": "unused-secret"])
            Self.expectOneLine(result, exit: 3, containing: "cannot reach PostgreSQL at 127.0.0.1:1", secret: "unused-secret")
            // Asked for no rows, it still reads the counts, so it still finds the server gone.
            let none = try AnchorDeskProcess.run(["devices", "--limit", "0", "--store", "postgresql://anchordesk_test@127.0.0.1:1/postgres"],
                                                 environment: ["PGPASSWORD": "unused-secret"])
            Self.expectOneLine(none, exit: 3, containing: "cannot reach PostgreSQL at 127.0.0.1:1", secret: "unused-secret")
        }

        /// A filter of more terms than a query can bind is refused before any query (it read as a lost connection).
        @Test func aFilterOfTooManyTermsIsBadInput() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let longest = try store.run(["devices", "--limit", "1", "--filter", Array(repeating: "0", count: 64).joined(separator: " ")])
            #expect(longest.exitCode == 0, "\(longest.stderr)")
            let tooLong = Array(repeating: "0", count: 65_536).joined(separator: " ")
            Self.expectOneLine(try store.run(["devices", "--filter", tooLong]), exit: 2, containing: "at most 64 terms")
        }

        @Test func aDatabaseWithoutAStoreOrOfANewerSchemaIsRefused() throws {
            let store = try PostgresTestStore(initialise: false)
            defer { store.remove() }
            Self.expectOneLine(try store.run(["devices"]), exit: 3, containing: "holds no AnchorDesk store")
            #expect(try store.run(["init", "--demo"]).exitCode == 0)
            let again = try store.run(["init", "--demo"])
            Self.expectOneLine(again, exit: 2, containing: "--force")
            let migrate = try store.run(["store", "migrate"])
            #expect(migrate.exitCode == 0 && migrate.stdout.contains("already current"), "\(migrate.stdout)")

            #expect(store.psql("update anchordesk.schema_version set version = 99").exitCode == 0)
            Self.expectOneLine(try store.run(["devices"]), exit: 3, containing: "schema version 99, newer than this build's")
            Self.expectOneLine(try store.run(["store", "migrate"]), exit: 3, containing: "newer than this build's")
            Self.expectOneLine(try store.run(["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb"]),
                               exit: 3, containing: "newer than this build's")
        }

        @Test func aServerWithoutFsyncIsRefusedAndOneWithoutSynchronousCommitIsWarnedOf() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            #expect(store.psql("alter role \(PostgresTestServer.adminLogin) in database \(store.database) set synchronous_commit = off").exitCode == 0)
            let warned = try store.run(["devices"])
            #expect(warned.exitCode == 0 && warned.stderr.contains("synchronous_commit=off"), "\(warned.stderr)")

            try #require(PostgresTestServer.superuser("alter system set fsync = off") == 0, "needs root and the postgres user")
            defer {
                PostgresTestServer.superuser("alter system reset fsync")
                PostgresTestServer.superuser("select pg_reload_conf()")
            }
            PostgresTestServer.superuser("select pg_reload_conf()")
            Thread.sleep(forTimeInterval: 0.5)
            Self.expectOneLine(try store.run(["devices"]), exit: 3, containing: "fsync=off")
        }
    }
}

/// A test's own failure to set up what it needs.
struct PostgresTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
