import Foundation
import Testing

extension PostgreSQLTests {
    /// A mistyped organisation, certificate or device on a PostgreSQL store: the same line as on
    /// a store directory, the names taken from the database's snapshot head and its device
    /// table, and nothing written.
    @Suite struct UnknownNames {
        @Test func unknownNamesSayWhichTheDatabaseHolds() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            let keys = ["ANCHORDESK_KEYS": store.demoUserKeys]
            let changes = store.psql("select count(*) from anchordesk.changes").stdout
            let nationalGrid = "error: no organisation 'nationalgrid': did you mean 'national-grid'?\n"
            let cases: [([String], String)] = [
                (["devices", "--filter", "no=nationalgrid"], nationalGrid),
                (["devices", "--filter", "no=National-Grid"], "error: no organisation 'National-Grid': did you mean 'national-grid'?\n"),
                (["devices", "--filter", "counter supplier=kestrel"], "error: no organisation 'kestrel': did you mean 'kestrel-supply'?\n"),
                (["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=nationalgrid", "--cert", "acb"], nationalGrid),
                (["recovery", "--filter", "no=nationalgrid", "--replace-with", "acb", "--reason", "test", "--yes"], nationalGrid),
                (["request", "6.15.1", "--as", "nationalgrid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb"], nationalGrid),
                (["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb-dss"],
                 "error: no certificate 'acb-dss' (give a certificate ID or an owner's organisation ID): did you mean 'acb-ds'?\n"),
                // The device table is asked for the IDs one slip away, not read whole.
                (["request", "6.21", "--as", "heron-energy", "--device", "00DB120173F78B29", "--gno", "cadent"],
                 "error: no device '00-DB-12-01-73-F7-8B-29': did you mean '00-DB-12-01-73-F7-8B-92'?\n"),
                (["request", "6.21", "--as", "heron-energy", "--device", "11-11-11-11-11-11-11-11", "--gno", "cadent"],
                 "error: no device '11-11-11-11-11-11-11-11'\n"),
                (["org", "show", "nationalgrid"], nationalGrid),
            ]
            for (arguments, line) in cases {
                let result = try store.run(arguments, environment: keys)
                #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
                #expect(result.stderr == line, "\(arguments)")
                #expect(result.stdout.isEmpty, "\(arguments): \(result.stdout)")
            }
            let login = try store.makeOperator(granted: ["national-grid"])
            let operatorView = try store.run(["devices", "--filter", "no=nationalgrid"], login: login, password: "operator-secret",
                                             machine: "op")
            #expect(operatorView.exitCode == 2 && operatorView.stderr == nationalGrid, "\(operatorView.stderr)")
            let grant = try store.run(["operator", "grant", login, "cadnet"])
            #expect(grant.exitCode == 2 && grant.stderr == "error: no organisation 'cadnet': did you mean 'cadent'?\n", "\(grant.stderr)")
            #expect(store.psql("select count(*) from anchordesk.changes").stdout == changes, "something was written")
            #expect(store.psql("select count(*) from anchordesk.operator_grants where organisation = 'cadnet'").stdout == "0\n")
        }
    }
}
