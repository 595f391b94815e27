import Crypto
import Foundation
import Testing

extension PostgreSQLTests {
    /// Only the DSP writes (schema version 5): the store's administrator, on a host that holds
    /// the DCC's private keys. Every other login reads, whether through AnchorDesk or `psql`, and
    /// no table it can read holds a private key.
    @Suite struct OnlyTheDSPWrites {
        static let device = "00-DB-12-01-73-F7-8B-92"
        static let handBack = ["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"]
        static let head = "select last_sequence, last_hash from anchordesk.head"

        @Test func anOperatorsLoginReadsButEveryWriteFromTheCLIIsRefused() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            let login = try store.makeOperator(granted: ["national-grid", "cadent"])
            let keys = ["ANCHORDESK_KEYS": store.demoUserKeys]
            let before = store.psql(Self.head).stdout
            func asOperator(_ arguments: [String]) throws -> AnchorDeskProcess.Result {
                try store.run(arguments, login: login, password: "operator-secret", machine: "gno-desk", environment: keys)
            }

            #expect(try asOperator(["devices", "--filter", "no=national-grid", "--limit", "1"]).exitCode == 0)
            let device = try asOperator(["device", "show", Self.device, "--json"])
            #expect(device.exitCode == 0 && device.stdout.contains("national-grid-ds"), "\(device.stderr)")
            #expect(try asOperator(["counters", Self.device]).exitCode == 0)

            for arguments in [
                Self.handBack,
                ["request", "6.21", "--as", "heron-energy", "--device", Self.device, "--gno", "cadent"],
                ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb"],
                ["org", "cease", "national-grid", "--hand-back"], ["org", "revoke", "national-grid"],
                ["recovery", "--filter", "no=national-grid", "--replace-with", "acb", "--reason", "test", "--yes"],
                ["operator", "grant", login, "sgn"], ["init", "--demo", "--force"],
            ] {
                let refused = try asOperator(arguments)
                #expect(refused.exitCode == 1 || refused.exitCode == 3, "\(arguments): \(refused.stderr)")
                #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.split(separator: "\n").count == 1, "\(arguments): \(refused.stderr)")
                #expect(!refused.stderr.contains("operator-secret") && !refused.stdout.contains("operator-secret"))
                let json = try asOperator(arguments + ["--json"])
                let error = (try? json.json())?["error"] as? [String: Any]
                #expect(error?["code"] is String && error?["message"] is String, "\(arguments): \(json.stdout)")
            }
            let refused = try asOperator(Self.handBack + ["--json"])
            let error = try refused.json()["error"] as? [String: Any]
            #expect(error?["code"] as? String == "not-authorised", "\(refused.stdout)")
            let message = error?["message"] as? String ?? ""
            #expect(message.contains("only the DSP writes") && message.contains("operator API"), "\(message)")
            #expect(store.psql(Self.head).stdout == before)
            #expect(store.psql("select count(*) from anchordesk.changes").stdout == "0\n")
            // The operator's machine has the certificates, and none of the DCC's keys.
            #expect(FileManager.default.fileExists(atPath: store.machine("gno-desk") + "/smki/issuing-ca.pem"))
            #expect(!FileManager.default.fileExists(atPath: store.machine("gno-desk") + "/smki/keys"))
            // Had it fetched them under schema version 4, every read would say to delete them.
            try FileManager.default.copyItem(atPath: store.dspKeys, toPath: store.machine("gno-desk") + "/smki/keys")
            for read in [["counters", Self.device], ["devices", "--limit", "1"]] {
                let warned = try asOperator(read)
                #expect(warned.exitCode == 0 && warned.stderr.contains("warning: this machine holds private keys of the DCC in")
                    && warned.stderr.contains("delete that folder"), "\(read): \(warned.stderr)")
            }
            let dspRead = try store.run(["counters", Self.device])
            #expect(!dspRead.stderr.contains("private keys of the DCC"), "the DSP's own host is not warned: \(dspRead.stderr)")

            // The same request on the DSP's host is decided.
            let decided = try store.run(Self.handBack, environment: keys)
            #expect(decided.exitCode == 0, "\(decided.stderr)")
            #expect(store.psql("select login from anchordesk.changes").stdout == PostgresTestServer.adminLogin + "\n")
        }

        /// The DSP's own login on a machine without the DCC's private keys decides nothing, and
        /// makes no keys of its own (a new CA would be trusted by no device).
        @Test func theAdministratorOnAMachineWithoutTheKeysDecidesNothing() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let before = store.psql(Self.head).stdout
            let bare = try store.run(Self.handBack, machine: "bare", dspKeys: false, environment: ["ANCHORDESK_KEYS": store.demoUserKeys])
            #expect(bare.exitCode == 1, "\(bare.stderr)")
            #expect(bare.stderr.hasPrefix("error: ") && bare.stderr.split(separator: "\n").count == 1, "\(bare.stderr)")
            #expect(bare.stderr.contains("none of its private keys") && bare.stderr.contains("operator API"), "\(bare.stderr)")
            #expect(store.psql(Self.head).stdout == before)
            #expect(!FileManager.default.fileExists(atPath: store.machine("bare") + "/smki/keys"), "it made keys of its own")
            let issuer = "/smki/issuing-ca.pem"
            #expect(FileManager.default.contents(atPath: store.machine("bare") + issuer) == FileManager.default.contents(atPath: store.machine("admin") + issuer))
            let serve = try store.run(["serve", "--listen", "127.0.0.1:0"], machine: "bare", dspKeys: false)
            #expect(serve.exitCode == 1 && serve.stderr.contains("none of its private keys"), "\(serve.stderr)")
        }

        /// A DSP host that lost one of the DCC's private files decides nothing and makes no key:
        /// an issuing CA, Device CA, devices' seed or DSP XML-signing key made anew on one host
        /// would be trusted by no device, User or other host, and the new seed would overwrite
        /// the one the folder still held. The refusal names the file; the folder stays as it was.
        @Test func aDSPHostThatLostOneKeyDecidesNothingAndMakesNone() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let before = store.psql(Self.head).stdout
            for lost in ["issuing-ca.key", "device-ca.key", "devices.seed", "dsp-xml.key"] {
                let host = store.machine("lost-" + lost)
                try store.provisionDSPHost(host)
                try FileManager.default.removeItem(atPath: host + "/smki/keys/" + lost)
                // The host has its public files from the database first, as any writer brings them.
                #expect(try store.run(["counters", Self.device], machine: "lost-" + lost).exitCode == 0)
                let folder = try DemoStore.files(in: host + "/smki")
                let command = lost == "dsp-xml.key" ? ["serve", "--listen", "127.0.0.1:0"] : Self.handBack
                let refused = try AnchorDeskProcess.run([], environment: ["PGPASSWORD": PostgresTestServer.adminPassword, "ANCHORDESK_PG_LOCAL": host,
                                                                          "ANCHORDESK_KEYS": store.demoUserKeys],
                                                        via: ["/usr/bin/timeout", "60", AnchorDeskProcess.executable] + command + ["--store", store.url()])
                #expect(refused.exitCode == 3, "\(lost): \(refused.stderr)")
                #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.split(separator: "\n").count == 1, "\(lost): \(refused.stderr)")
                #expect(refused.stderr.contains("keys/" + lost), "\(lost): \(refused.stderr)")
                #expect(try DemoStore.files(in: host + "/smki") == folder, "\(lost): the host's folder changed")
                #expect(store.psql(Self.head).stdout == before)
            }
        }

        @Test func psqlAsAnOperatorChangesNoTableAndCallsNothingThatWrites() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            #expect(try store.run(Self.handBack, environment: ["ANCHORDESK_KEYS": store.demoUserKeys]).exitCode == 0)
            let login = try store.makeOperator(granted: ["cadent"])
            func asOperator(_ sql: String) -> AnchorDeskProcess.Result { store.psql(sql, login: login, password: "operator-secret") }
            func lines(_ sql: String) -> [String] { store.psql(sql).stdout.split(separator: "\n").map(String.init) }
            let tables = lines("select tablename from pg_tables where schemaname = 'anchordesk' order by 1")
            let fingerprint = tables.map { "select '\($0)', md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from anchordesk.\($0) t" }
                .joined(separator: " union all ")
            let before = store.psql(fingerprint).stdout
            #expect(tables.count >= 13 && Set(["changes", "devices", "head", "vault_files", "operator_grants"]).isSubset(of: tables), "\(tables)")

            let firstColumns = lines("""
                select table_name, column_name from information_schema.columns
                where table_schema = 'anchordesk' and ordinal_position = 1 order by 1
                """)
            #expect(firstColumns.count == tables.count, "\(firstColumns)")
            for line in firstColumns {
                let parts = line.split(separator: "|").map(String.init)
                let (table, column) = (parts[0], parts[1])
                for statement in [
                    "insert into anchordesk.\(table) default values", "update anchordesk.\(table) set \(column) = \(column)",
                    "delete from anchordesk.\(table)", "truncate anchordesk.\(table)", "select * from anchordesk.\(table) for update",
                    "begin; lock table anchordesk.\(table) in exclusive mode; commit",
                ] {
                    let refused = asOperator(statement)
                    #expect(refused.exitCode != 0 && refused.stderr.contains("permission denied"), "\(statement): \(refused.stderr)")
                }
                #expect(asOperator("select count(*) from anchordesk.\(table)").exitCode == 0, "the operator reads \(table)")
            }

            let functions = lines("""
                select p.proname, p.provolatile, format('select anchordesk.%I(%s)', p.proname,
                    coalesce((select string_agg('null::' || format_type(t, null), ', ') from unnest(p.proargtypes::oid[]) t), ''))
                from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'anchordesk' order by 1
                """).map { $0.split(separator: "|", maxSplits: 2).map(String.init) }
            let writing = functions.filter { $0[1] == "v" }
            #expect(Set(["append_decided", "lock_devices", "lock_counters", "note_denial", "grant_operator", "revoke_operator"])
                .isSubset(of: writing.map { $0[0] }), "\(functions)")
            for function in writing {
                let refused = asOperator(function[2])
                #expect(refused.exitCode != 0 && refused.stderr.contains("permission denied for function"), "\(function[2]): \(refused.stderr)")
            }
            // A forged alert, as the DSP would record one, is refused like any other record.
            let alert = #"{"device":"\#(Self.device)","code":"0x8F84"}"#
            let forged = asOperator("select anchordesk.append_decided(array['alert'], array['\(alert)'], array['\"alert\":{\"received\":\(alert)}'])")
            #expect(forged.exitCode != 0 && forged.stderr.contains("permission denied"), "\(forged.stderr)")

            #expect(store.psql(fingerprint).stdout == before, "a table changed")
        }

        /// Every table an operator's login reads, dumped whole, holds none of the private keys
        /// the demo made: not as PEM, not as PKCS#8, not as the raw 32-byte scalar (in hex or
        /// base64), and not the simulated devices' seed. The check constraint keeps them out even
        /// when the administrator tries.
        @Test func noTableAnOperatorReadsHoldsAPrivateKey() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            #expect(try store.run(Self.handBack, environment: ["ANCHORDESK_KEYS": store.demoUserKeys]).exitCode == 0)
            let login = try store.makeOperator(granted: ["cadent"])
            var dump = ""
            for table in store.psql("select tablename from pg_tables where schemaname = 'anchordesk' order by 1").stdout.split(separator: "\n") {
                let rows = store.psql("select t::text from anchordesk.\(table) t", login: login, password: "operator-secret")
                #expect(rows.exitCode == 0, "\(table): \(rows.stderr)")
                dump += rows.stdout
            }
            let files = store.psql("select encode(bytes, 'escape') from anchordesk.vault_files", login: login, password: "operator-secret")
            #expect(files.exitCode == 0 && files.stdout.contains("BEGIN CERTIFICATE"), "\(files.stderr)")
            dump += files.stdout
            #expect(dump.count > 100_000, "the dump is too small to mean anything: \(dump.count)")

            let needles = try Self.secretNeedles(in: [store.dspKeys, store.demoUserKeys, store.machine("admin") + "/operator-tls"])
            #expect(needles.count >= 60, "\(needles.count)")
            for (needle, file) in needles { #expect(!dump.lowercased().contains(needle.lowercased()), "\(file) is in the database") }

            for (name, bytes) in [("keys/dcc-acb-ka.key", "x"), ("smuggled.pem", "-----BEGIN PRIVATE KEY-----")] {
                let refused = store.psql("insert into anchordesk.vault_files (name, bytes) values ('\(name)', '\(bytes)'::bytea)")
                #expect(refused.exitCode != 0 && refused.stderr.contains("vault_files_public_only"), "\(name): \(refused.stderr)")
            }
        }

        /// What would give away each private file under `folders`: the words of a PEM private
        /// key (as text and as the hex psql shows `bytea` in), each line of its base64 body, and
        /// for a P-256 key its raw scalar in hex and base64; for the devices' seed, its hex.
        static func secretNeedles(in folders: [String]) throws -> [(String, String)] {
            var needles: [(String, String)] = [("PRIVATE KEY", "a PEM private key"), ("50524956415445204b4559", "a PEM private key, as bytea")]
            for folder in folders {
                for name in FileManager.default.enumerator(atPath: folder)?.compactMap({ $0 as? String }) ?? [] {
                    let path = folder + "/" + name
                    guard name.hasSuffix(".key") || name.hasSuffix(".seed"), let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
                    if name.hasSuffix(".seed") {
                        needles.append((text.trimmingCharacters(in: .whitespacesAndNewlines), path))
                        continue
                    }
                    for line in text.split(separator: "\n") where !line.hasPrefix("-----") && line.count >= 16 {
                        needles.append((String(line), path))
                        needles.append((Data(line.utf8).map { String(format: "%02x", $0) }.joined(), path))
                    }
                    if let key = try? P256.Signing.PrivateKey(pemRepresentation: text) {
                        needles.append((key.rawRepresentation.map { String(format: "%02x", $0) }.joined(), path))
                        needles.append((key.rawRepresentation.base64EncodedString().trimmingCharacters(in: ["="]), path))
                    }
                }
            }
            return needles
        }

        /// A store of schema version 4 kept the DCC's private keys in the database, and let
        /// operators call the write functions: `store migrate` moves the keys to the DSP's host
        /// that runs it, byte for byte and 0600, deletes them from the database in the same
        /// transaction, and takes the functions back; the audit export does not change.
        @Test func storeMigrateMovesTheKeysOutToTheDSPsHostLosingNothing() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            let keys = ["ANCHORDESK_KEYS": store.demoUserKeys]
            #expect(try store.run(Self.handBack, environment: keys).exitCode == 0)
            let login = try store.makeOperator(granted: ["cadent"])
            let exportBefore = try store.run(["audit", "export"]).stdout
            let privateFiles = try Self.downgradeToVersion4(store, alsoRun: """
                grant execute on function anchordesk.append_decided(text[], text[], text[]), anchordesk.lock_devices(text[]),
                    anchordesk.lock_counters(text[]) to \(login)
                """)
            let heldKeys = Self.heldKeys
            // The device table is version 4's already: a migration to 5 leaves its rows as they are
            // (at 25,000,000 GPFs filling it again would take a long time for nothing).
            let commissioned = store.psql("select commissioned_at from anchordesk.devices where id = '\(Self.device)'").stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let marker = "update anchordesk.devices set commissioned_at = 'left as it was' where id = '\(Self.device)'"
            try #require(store.psql(marker).exitCode == 0)

            let notAdministrator = try store.run(["store", "migrate"], login: login, password: "operator-secret", machine: "gno-desk")
            #expect(notAdministrator.exitCode == 1 && notAdministrator.stderr.contains("only the store's administrator"), "\(notAdministrator.stderr)")
            // A host whose directory cannot be made keeps nothing, and the database keeps the keys.
            let blocked = store.root.appendingPathComponent("a-file").path
            #expect(FileManager.default.createFile(atPath: blocked, contents: Data()))
            let failed = try AnchorDeskProcess.run(["store", "migrate", "--store", store.url()],
                                                   environment: ["PGPASSWORD": PostgresTestServer.adminPassword, "ANCHORDESK_PG_LOCAL": blocked + "/dsp"])
            #expect(failed.exitCode != 0 && failed.stderr.hasPrefix("error: ") && failed.stderr.split(separator: "\n").count == 1, "\(failed.stderr)")
            #expect(store.psql("select version from anchordesk.schema_version").stdout == "4\n")
            #expect(store.psql(heldKeys).stdout == "\(privateFiles.count)\n")

            let migrated = try store.run(["store", "migrate", "--json"], machine: "dsp-new", dspKeys: false)
            #expect(migrated.exitCode == 0, "\(migrated.stderr)")
            let report = try migrated.json()
            let movedTo = store.machine("dsp-new") + "/smki/keys"
            #expect(report["from"] as? Int == 4 && report["to"] as? Int == 6 && report["keysMoved"] as? Int == privateFiles.count, "\(report)")
            #expect(report["keysMovedTo"] as? String == movedTo, "\(report)")
            let moved = try Self.files(under: movedTo)
            #expect(moved.map(\.name) == privateFiles.map(\.name) && moved.map(\.bytes) == privateFiles.map(\.bytes))
            for (name, _) in moved { #expect(try OperatorTLSDemoTests.mode(movedTo + "/" + name) == 0o600, "\(name)") }
            #expect(store.psql(heldKeys).stdout == "0\n")
            #expect(store.psql("select version from anchordesk.schema_version").stdout == "6\n")
            #expect(store.psql("select commissioned_at from anchordesk.devices where id = '\(Self.device)'").stdout == "left as it was\n",
                    "the migration filled the device table again")
            try #require(store.psql("update anchordesk.devices set commissioned_at = '\(commissioned)' where id = '\(Self.device)'").exitCode == 0)
            let call = store.psql("select anchordesk.lock_devices(array['\(Self.device)'])", login: login, password: "operator-secret")
            #expect(call.exitCode != 0 && call.stderr.contains("permission denied"), "\(call.stderr)")

            #expect(try store.run(["audit", "export"], machine: "dsp-new", dspKeys: false).stdout == exportBefore, "the audit export changed")
            let placed = try store.run(["request", "6.21", "--as", "heron-energy", "--device", Self.device, "--gno", "cadent", "--json"],
                                       machine: "dsp-new", dspKeys: false, environment: keys)
            #expect(try placed.json()["outcome"] as? String == "succeeded", "\(placed.stdout)\(placed.stderr)")
            let verified = try store.run(["audit", "verify"], machine: "dsp-new", dspKeys: false)
            #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        }

        /// A database before version 5 held the keys in `vault_files`, and PostgreSQL's statistics
        /// (`pg_stats`, which shows sample values of every column a login may read) kept them from
        /// the table's last `ANALYZE`, which autovacuum runs after enough changes (a `cert import`
        /// rewrote the whole table): the migration analyzes the table again in its transaction, so
        /// no key it deleted is left there for an operator to read.
        @Test func storeMigrateLeavesNoPrivateKeyInTheStatistics() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            let login = try store.makeOperator(granted: ["cadent"])
            let privateFiles = try Self.downgradeToVersion4(store, alsoRun: "analyze anchordesk.vault_files")
            let statistics = """
                select coalesce(string_agg(concat_ws('|', attname, most_common_vals::text, histogram_bounds::text), '|'), '')
                from pg_stats where schemaname = 'anchordesk'
                """
            let needles = try Self.secretNeedles(in: [store.dspKeys]) + privateFiles.map { ("keys/" + $0.name, "its name") }
            func leaked() -> [String] {
                let seen = store.psql(statistics, login: login, password: "operator-secret").stdout.lowercased()
                return needles.filter { seen.contains($0.0.lowercased()) }.map(\.1)
            }
            try #require(!leaked().isEmpty, "the statistics held no key before the migration, so this test would show nothing")

            let migrated = try store.run(["store", "migrate"], machine: "dsp-new", dspKeys: false)
            #expect(migrated.exitCode == 0, "\(migrated.stderr)")
            #expect(store.psql(Self.heldKeys).stdout == "0\n")
            #expect(leaked().isEmpty, "an operator reads these in pg_stats: \(Set(leaked()).sorted())")
            #expect(store.psql(statistics, login: login, password: "operator-secret").stdout.contains("BEGIN CERTIFICATE".utf8.map { String(format: "%02x", $0) }.joined()),
                    "the statistics were read, and hold the certificates")
        }

        /// A migrating host whose folder already holds private keys that are not the database's
        /// (a stale copy, another store's) keeps them: the migration is refused, naming the file,
        /// before anything is written, and the database keeps its keys. A host holding exactly
        /// the database's keys (as a migration cut short after writing them leaves it) migrates.
        @Test func storeMigrateNeverOverwritesKeysTheHostHoldsAlready() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let privateFiles = try Self.downgradeToVersion4(store)
            let other = try DemoStore()
            defer { other.remove() }
            // One host holds another store's keys under the same names; one the database's and one more.
            for host in ["stale", "extra"] {
                let keys = store.machine(host) + "/smki/keys"
                try FileManager.default.createDirectory(atPath: store.machine(host) + "/smki", withIntermediateDirectories: true)
                if host == "stale" {
                    try FileManager.default.copyItem(atPath: other.path + "/smki/keys", toPath: keys)
                } else {
                    try FileManager.default.copyItem(atPath: store.dspKeys, toPath: keys)
                    try FileManager.default.copyItem(atPath: other.path + "/smki/keys/dcc-acb-ds.key", toPath: keys + "/another-store.key")
                }
                let before = try Self.files(under: keys)
                let refused = try store.run(["store", "migrate"], machine: host, dspKeys: false)
                #expect(refused.exitCode == 2, "\(host): \(refused.stderr)")
                #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
                #expect(refused.stderr.contains("keys/") && refused.stderr.contains("nothing was changed"), "\(refused.stderr)")
                let after = try Self.files(under: keys)
                #expect(after.map(\.name) == before.map(\.name) && after.map(\.bytes) == before.map(\.bytes), "\(host)'s own keys were changed")
                #expect(store.psql("select version from anchordesk.schema_version").stdout == "4\n")
                #expect(store.psql(Self.heldKeys).stdout == "\(privateFiles.count)\n")
            }

            let again = store.machine("again")
            try FileManager.default.createDirectory(atPath: again + "/smki", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: store.dspKeys, toPath: again + "/smki/keys")
            try FileManager.default.removeItem(atPath: again + "/smki/keys/devices.seed")
            let migrated = try store.run(["store", "migrate", "--json"], machine: "again", dspKeys: false)
            #expect(migrated.exitCode == 0, "\(migrated.stderr)")
            #expect(try migrated.json()["keysMoved"] as? Int == privateFiles.count, "\(migrated.stdout)")
            let moved = try Self.files(under: again + "/smki/keys")
            #expect(moved.map(\.name) == privateFiles.map(\.name) && moved.map(\.bytes) == privateFiles.map(\.bytes))
            #expect(store.psql(Self.heldKeys).stdout == "0\n")
        }

        /// Counts the private files the database holds.
        static let heldKeys = "select count(*) from anchordesk.vault_files where name like 'keys/%'"

        /// Makes the store as schema version 4 left it: the DSP's private keys (its first host's)
        /// in `vault_files` beside the certificates; then runs `alsoRun`, as the administrator.
        /// - Returns: the private files, by name under `keys/`.
        static func downgradeToVersion4(_ store: PostgresTestStore, alsoRun extra: String? = nil) throws -> [(name: String, bytes: [UInt8])] {
            let privateFiles = try files(under: store.dspKeys)
            #expect(privateFiles.count >= 8, "\(privateFiles.map(\.name))")
            var downgrade = "alter table anchordesk.vault_files drop constraint vault_files_public_only;"
            for (name, bytes) in privateFiles {
                downgrade += "insert into anchordesk.vault_files (name, bytes) values ('keys/\(name)', decode('\(bytes.map { String(format: "%02x", $0) }.joined())', 'hex'));"
            }
            downgrade += "update anchordesk.schema_version set version = 4;" + (extra ?? "")
            let downgraded = store.psql(downgrade)
            try #require(downgraded.exitCode == 0, "\(downgraded.stderr)")
            #expect(store.psql(heldKeys).stdout == "\(privateFiles.count)\n")
            return privateFiles
        }

        /// Every file under `folder`, by relative name, sorted.
        static func files(under folder: String) throws -> [(name: String, bytes: [UInt8])] {
            try (FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []).sorted().compactMap { name in
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
                return (name, Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))))
            }
        }
    }

    /// Which logins may read: the administrator grants and revokes, and a login granted
    /// nothing cannot open the store.
    @Suite struct Grants {
        @Test func grantsAreListedRevokedAndOnlyTheAdministratorChangesThem() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            let login = try store.makeOperator(granted: ["cadent", "heron-energy"])
            let list = try store.run(["operator", "list", "--json"])
            #expect(list.exitCode == 0)
            #expect(list.stdout.contains("\"cadent\"") && list.stdout.contains("\"heron-energy\""))

            let selfGrant = try store.run(["operator", "grant", login, "national-grid"], login: login, password: "operator-secret", machine: "gno-desk")
            #expect(selfGrant.exitCode == 1 && selfGrant.stderr.contains("administrator"), "\(selfGrant.stderr)")
            #expect(try store.run(["operator", "grant", login, "no-such-org"]).exitCode == 2)
            #expect(try store.run(["operator", "revoke", login, "national-grid"]).exitCode == 2)

            #expect(try store.run(["operator", "revoke", login, "cadent"]).exitCode == 0)
            #expect(try store.run(["operator", "revoke", login, "heron-energy"]).exitCode == 0)
            // Granted nothing, the login cannot even open the store, nor read a table.
            let open = try store.run(["devices"], login: login, password: "operator-secret", machine: "gno-desk")
            #expect(open.exitCode == 1 && open.stderr.contains("not granted any organisation"), "\(open.stderr)")
            #expect(store.psql("select count(*) from anchordesk.changes", login: login, password: "operator-secret").exitCode != 0)

            let directory = try AnchorDeskProcess.run(["operator", "list", "--store", store.root.appendingPathComponent("dir").path])
            #expect(directory.exitCode == 2 && directory.stderr.contains("PostgreSQL"))
        }

        /// The DCC's keys are the administrator's to change: an operator's `cert import` is
        /// refused before its machine's folder is touched, and the database keeps its certificates.
        @Test func anOperatorsCertificateImportChangesNothingAnywhere() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            let login = try store.makeOperator(granted: ["cadent"])
            let other = try DemoStore()
            defer { other.remove() }
            let keys = ["ANCHORDESK_KEYS": store.demoUserKeys]
            let vault = "select name, md5(bytes) from anchordesk.vault_files order by name"
            let vaultBefore = store.psql(vault).stdout
            let importCadent = ["cert", "import", other.path + "/smki/cadent-ds.pem", "--org", "cadent",
                                "--key", other.path + "/demo-user-keys/90b3d51f30000011-ds.key"]
            #expect(try store.run(["counters", OnlyTheDSPWrites.device], login: login, password: "operator-secret", machine: "gno-desk").exitCode == 0)
            let folders = { () throws -> [[String: Data]] in
                [try DemoStore.files(in: store.machine("gno-desk")), try DemoStore.files(in: store.demoUserKeys)]
            }
            let foldersBefore = try folders()

            let refused = try store.run(importCadent, login: login, password: "operator-secret", machine: "gno-desk", environment: keys)
            #expect(refused.exitCode == 1 && refused.stderr.contains("only the DSP writes"), "\(refused.stderr)")
            #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
            #expect(try folders() == foldersBefore, "a keys folder was changed")
            #expect(store.psql(vault).stdout == vaultBefore)

            let accepted = try store.run(importCadent, environment: keys)
            #expect(accepted.exitCode == 0, "\(accepted.stderr)")
            #expect(store.psql(vault).stdout != vaultBefore, "the administrator's import reached the database")
        }
    }
}
