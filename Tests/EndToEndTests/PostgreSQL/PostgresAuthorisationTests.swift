import Foundation
import Testing

extension PostgreSQLTests {
    /// Which login may act for which organisation is the database's to enforce: the CLI and
    /// psql are refused alike, and refusals are logged.
    @Suite struct Authorisation {
        static let nationalGridDevice = "00-DB-12-01-73-F7-8B-92"

        @Test func anOperatorNotGrantedNationalGridCannotHandItsDevicesBackFromTheCLI() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            let login = try store.makeOperator(granted: ["cadent"])
            let before = store.psql("select last_sequence from anchordesk.head").stdout
            let keys = ["ANCHORDESK_KEYS": store.demoUserKeys]

            let cease = try store.run(["org", "cease", "national-grid", "--hand-back"], login: login, password: "operator-secret",
                                      machine: "gno-desk", environment: keys)
            #expect(cease.exitCode == 1)
            #expect(cease.stderr.hasPrefix("error: ") && cease.stderr.split(separator: "\n").count == 1, "\(cease.stderr)")
            #expect(cease.stderr.contains("may not act for 'national-grid'"))
            #expect(!cease.stderr.contains("operator-secret") && !cease.stdout.contains("operator-secret"))
            let single = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", Self.nationalGridDevice, "--cert", "acb"],
                                       login: login, password: "operator-secret", machine: "gno-desk", environment: keys)
            #expect(single.exitCode == 1 && single.stderr.contains("not act for 'national-grid'"), "\(single.stderr)")

            #expect(store.psql("select last_sequence from anchordesk.head").stdout == before)
            #expect(store.psql("select login, organisation from anchordesk.denials order by at").stdout
                == "\(login)|national-grid\n\(login)|national-grid\n")

            // With --json, every refused write is one JSON document on stdout, whatever refuses it.
            for arguments in [
                ["request", "6.15.1", "--as", "national-grid", "--device", Self.nationalGridDevice, "--cert", "acb"],
                ["request", "6.21", "--as", "heron-energy", "--device", Self.nationalGridDevice, "--gno", "cadent"],
                ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb"],
                ["org", "cease", "national-grid", "--hand-back"], ["org", "revoke", "national-grid"],
                ["recovery", "--filter", "no=national-grid", "--replace-with", "acb", "--reason", "test", "--yes"],
                ["operator", "grant", login, "national-grid"], ["init", "--demo", "--force"],
            ] {
                let refused = try store.run(arguments + ["--json"], login: login, password: "operator-secret", machine: "gno-desk", environment: keys)
                #expect(refused.exitCode == 1 || refused.exitCode == 3, "\(arguments): \(refused.stderr)")
                let error = (try? refused.json())?["error"] as? [String: Any]
                #expect(error?["code"] is String && error?["message"] is String, "\(arguments): \(refused.stdout)")
                #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.split(separator: "\n").count == 1, "\(arguments): \(refused.stderr)")
            }
            let refused = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", Self.nationalGridDevice, "--cert", "acb", "--json"],
                                        login: login, password: "operator-secret", machine: "gno-desk", environment: keys)
            let error = try refused.json()["error"] as? [String: Any]
            #expect(error?["code"] as? String == "not-authorised", "\(refused.stderr)")
            #expect((error?["message"] as? String)?.contains("may not act for 'national-grid'") == true, "\(refused.stdout)")
            #expect(store.psql("select last_sequence from anchordesk.head").stdout == before)
            let device = try store.run(["device", "show", Self.nationalGridDevice, "--json"])
            #expect(device.stdout.contains("national-grid-ds"), "the device still holds National Grid's certificate")

            // Granted, the same operator may.
            #expect(try store.run(["operator", "grant", login, "national-grid"]).exitCode == 0)
            let granted = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", Self.nationalGridDevice, "--cert", "acb"],
                                        login: login, password: "operator-secret", machine: "gno-desk", environment: keys)
            #expect(granted.exitCode == 0, "\(granted.stderr)")
            #expect(store.psql("select login from anchordesk.changes").stdout == login + "\n")
        }

        @Test func psqlCannotWriteAsAnotherOrganisationEither() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            let login = try store.makeOperator(granted: ["cadent"])
            func asOperator(_ sql: String) -> AnchorDeskProcess.Result { store.psql(sql, login: login, password: "operator-secret") }

            // The operator may read everything, and write nothing directly.
            #expect(asOperator("select count(*) from anchordesk.changes").stdout == "0\n")
            for statement in [
                "insert into anchordesk.changes (sequence, kind, login, previous_hash, hash, payload) values (1, 'request', 'x', 'a', 'b', '{}')",
                "update anchordesk.head set last_sequence = 7",
                "delete from anchordesk.operator_grants",
                "insert into anchordesk.operator_grants (login, organisation, granted_by) values (current_user, 'national-grid', current_user)",
                "update anchordesk.recorded_counters set counter = 0",
                "select anchordesk.grant_operator(current_user, 'national-grid')",
            ] {
                let refused = asOperator(statement)
                #expect(refused.exitCode != 0 && refused.stderr.contains("permission denied"), "\(statement): \(refused.stderr)")
            }
            // Through the one write function, a record acting for National Grid is refused and logged.
            func append(_ canonical: String, _ body: String, kind: String = "request") -> String {
                "select anchordesk.append_decided(array['\(kind)'], array['\(canonical)'], array['\(body)'])"
            }
            let entry = #"{"requester":"national-grid"}"#
            let record = #""change":{"ledger":{"request":{"requester":"national-grid"}}}"#
            let appended = asOperator(append(entry, record))
            #expect(appended.stdout == "not-authorised national-grid\n", "\(appended.stderr)")
            #expect(store.psql("select count(*) from anchordesk.changes").stdout == "0\n")
            #expect(store.psql("select organisation from anchordesk.denials").stdout == "national-grid\n")

            // A temporary pg_namespace naming the operator as the schema's owner changes nothing:
            // the functions read the catalogue by its schema, with pg_temp last on their path.
            let hijack = asOperator("""
                create temp table pg_namespace (nspname name, nspowner oid);
                insert into pg_namespace select 'anchordesk', oid from pg_roles where rolname = session_user;
                grant select on pg_namespace to public;
                select anchordesk.is_administrator(), \(append(entry, record).dropFirst("select ".count));
                """)
            #expect(hijack.stdout.hasSuffix("f|not-authorised national-grid\n"), "\(hijack.stdout) \(hijack.stderr)")
            // One kind per record, a request changes only the device it names, and the audit
            // hash covers the record's own log entry.
            let cadentEntry = #"{"requester":"cadent","device":"00-DB-12-01-73-F7-8B-92"}"#
            let cadent = #""change":{"ledger":{"request":{"requester":"cadent","device":"00-DB-12-01-73-F7-8B-92"}},"device":{"id":"00-DB-12-02-2F-AE-E4-4E"}}"#
            let moved = asOperator(append(cadentEntry, cadent))
            #expect(moved.exitCode != 0 && moved.stderr.contains("changes device 00-DB-12-02-2F-AE-E4-4E"), "\(moved.stderr)")
            let both = asOperator(append(cadentEntry, cadent + #","lifecycle":{"record":{"organisation":"cadent"}}"#))
            #expect(both.exitCode != 0 && both.stderr.contains("is not one request"), "\(both.stderr)")
            let otherEntry = asOperator(append(#"{"requester":"cadent","device":"00-DB-12-02-2F-AE-E4-4E"}"#, cadent))
            #expect(otherEntry.exitCode != 0 && otherEntry.stderr.contains("not the record's own log entry"), "\(otherEntry.stderr)")
            // The same entry as JSON but not the same bytes would be hashed as it is not written.
            let spaced = asOperator(append(#"{"requester": "cadent","device":"00-DB-12-01-73-F7-8B-92"}"#, cadent))
            #expect(spaced.exitCode != 0 && spaced.stderr.contains("not the record's own log entry"), "\(spaced.stderr)")
            // No record without an organisation where one must be named, no empty call, no device
            // written otherwise than as the store writes it, nothing huge.
            let nameless = asOperator(append("{}", #""lifecycle":{"record":{},"dccUser":false,"subscribed":false,"certificates":[]}"#,
                                             kind: "lifecycle"))
            #expect(nameless.exitCode != 0 && nameless.stderr.contains("names no organisation"), "\(nameless.stderr)")
            let empty = asOperator("select anchordesk.append_decided('{}', '{}', '{}')")
            #expect(empty.exitCode != 0 && empty.stderr.contains("at least one"), "\(empty.stderr)")
            let lowercase = #"{"requester":"cadent","device":"00db120173f78b92"}"#
            let spelt = asOperator(append(lowercase, #""change":{"ledger":{"request":"# + lowercase + "}}"))
            #expect(spelt.exitCode != 0 && spelt.stderr.contains("is not written as EUI-64"), "\(spelt.stderr)")
            let huge = asOperator("""
                select anchordesk.append_decided(array['request'], array[entry], array['"change":{"ledger":{"request":' || entry || '}}'])
                from (select '{"requester":"cadent","detail":"' || repeat('x', 300000) || '"}' as entry) huge
                """)
            #expect(huge.exitCode != 0 && huge.stderr.contains("over 256 KiB"), "\(huge.stderr.prefix(300))")
            // Nor may it lock rows beyond what its writes need, or read them through another door.
            let lockRefused = asOperator("select * from anchordesk.devices for update")
            #expect(lockRefused.exitCode != 0 && lockRefused.stderr.contains("permission denied"), "\(lockRefused.stderr)")
            #expect(store.psql("select count(*) from anchordesk.changes").stdout == "0\n")
        }

        /// The DCC's keys are the administrator's to change: an operator's `cert import` is
        /// refused before its machine's keys folder is touched, and the database keeps its keys.
        @Test func anOperatorsCertificateImportChangesNoKeysAnywhere() throws {
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
            #expect(try store.run(["counters", Self.nationalGridDevice], login: login, password: "operator-secret", machine: "gno-desk").exitCode == 0)
            let folders = { () throws -> [[String: Data]] in
                [try DemoStore.files(in: store.machine("gno-desk")), try DemoStore.files(in: store.demoUserKeys)]
            }
            let foldersBefore = try folders()

            let refused = try store.run(importCadent, login: login, password: "operator-secret", machine: "gno-desk", environment: keys)
            #expect(refused.exitCode == 1 && refused.stderr.contains("administrator"), "\(refused.stderr)")
            #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
            #expect(try folders() == foldersBefore, "a keys folder was changed")
            #expect(store.psql(vault).stdout == vaultBefore)

            let accepted = try store.run(importCadent, environment: keys)
            #expect(accepted.exitCode == 0, "\(accepted.stderr)")
            #expect(store.psql(vault).stdout != vaultBefore, "the administrator's import reached the database")
        }

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
            // Granted nothing, the login cannot even open the store, and that is logged too.
            let open = try store.run(["devices"], login: login, password: "operator-secret", machine: "gno-desk")
            #expect(open.exitCode == 1 && open.stderr.contains("not granted any organisation"), "\(open.stderr)")
            #expect(store.psql("select action from anchordesk.denials").stdout == "open the store\n")
            #expect(store.psql("select count(*) from anchordesk.changes", login: login, password: "operator-secret").exitCode != 0)

            let directory = try AnchorDeskProcess.run(["operator", "list", "--store", store.root.appendingPathComponent("dir").path])
            #expect(directory.exitCode == 2 && directory.stderr.contains("PostgreSQL"))
        }
    }
}
