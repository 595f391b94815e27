import Foundation
import Testing

extension PostgreSQLTests {
    /// `init --demo` on a PostgreSQL store writes the operator API's demo TLS files to the
    /// administrator's local directory, as for a store directory, and puts none of them in the
    /// database (issue 26: nothing private is stored there).
    @Suite struct OperatorTLS {
        @Test func theFilesGoToTheLocalDirectoryAndNoneToTheDatabase() throws {
            let store = try PostgresTestStore(initialise: false)
            defer { store.remove() }
            let made = try store.run(["init", "--demo", "--json"])
            #expect(made.exitCode == 0, "\(made.stderr)")
            let layout = OperatorTLSDemoTests.Layout(store: store.machine("admin"))
            #expect(try made.json()["operatorTLS"] as? [String: String] == layout.json)
            for (file, mode) in layout.files {
                #expect(try OperatorTLSDemoTests.mode(file) == mode, "\(file)")
            }
            #expect(try OperatorTLSDemoTests.grants(layout).count == OperatorTLSDemoTests.users.count + 1)

            let names = store.psql("select name from anchordesk.vault_files")
            #expect(names.exitCode == 0 && names.stdout.contains("issuing-ca.pem"), "\(names.stderr)")
            #expect(!names.stdout.contains("operator") && !names.stdout.contains("server"), "\(names.stdout)")
            for key in ["operator-tls/operator-ca.key", "operator-tls/server.key", "operators/cadent.key"] {
                let body = try String(contentsOfFile: layout.store + "/" + key, encoding: .utf8).split(separator: "\n")[1]
                let found = store.psql("select count(*) from anchordesk.vault_files where position('\(body)'::bytea in bytes) > 0")
                #expect(found.exitCode == 0 && found.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(key): \(found.stdout)")
            }
        }
    }
}
