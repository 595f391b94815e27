import Foundation
import Testing

extension PostgreSQLTests {
    /// The DCC's certificates in the database are the ones that count: an administrator's change
    /// is made to them as they are, not to the folder its machine last saw, and every machine's
    /// folder follows them; the private keys stay on the DSP's hosts.
    @Suite struct Keys {
        static let device = "00-DB-12-01-73-F7-8B-92"
        static let vault = "select name, md5(bytes) from anchordesk.vault_files order by name"

        /// A file of the database's copy of the keys, in hex.
        static func stored(_ name: String, in store: PostgresTestStore) -> String {
            store.psql("select encode(bytes, 'hex') from anchordesk.vault_files where name = '\(name)'").stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// A local file, in hex.
        static func hex(_ path: String) -> String {
            ((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()).map { String(format: "%02x", $0) }.joined()
        }

        @Test func twoAdministratorsKeepEachOthersImportsAndEveryMachineFollows() throws {
            var store = try PostgresTestStore()
            defer { store.remove() }
            let login = try store.makeOperator(granted: ["cadent"])
            let other = try DemoStore()
            defer { other.remove() }
            // Both administrators' machines and an operator's have opened the store, so each has the keys as they were.
            #expect(try store.run(["counters", Self.device], machine: "admin-b").exitCode == 0)
            #expect(try store.run(["counters", Self.device], login: login, password: "operator-secret", machine: "gno-desk").exitCode == 0)

            let cadent = try store.run(["cert", "import", other.path + "/smki/cadent-ds.pem", "--org", "cadent"])
            #expect(cadent.exitCode == 0, "\(cadent.stderr)")
            let sgn = try store.run(["cert", "import", other.path + "/smki/sgn-ds.pem", "--org", "sgn"], machine: "admin-b")
            #expect(sgn.exitCode == 0, "\(sgn.stderr)")

            let newCadent = Self.hex(other.path + "/smki/cadent-ds.pem")
            let newSGN = Self.hex(other.path + "/smki/sgn-ds.pem")
            #expect(Self.stored("cadent-ds.pem", in: store) == newCadent, "the second import undid the first")
            #expect(Self.stored("sgn-ds.pem", in: store) == newSGN)
            // Each machine's folder follows the database's copy when it next opens the store.
            #expect(try store.run(["counters", Self.device], login: login, password: "operator-secret", machine: "gno-desk").exitCode == 0)
            #expect(try store.run(["counters", Self.device]).exitCode == 0)
            for machine in ["admin", "admin-b", "gno-desk"] {
                #expect(Self.hex(store.machine(machine) + "/smki/cadent-ds.pem") == newCadent, "\(machine)")
                #expect(Self.hex(store.machine(machine) + "/smki/sgn-ds.pem") == newSGN, "\(machine)")
            }
        }

        /// The DCC's private keys are never in the database (schema version 5): they are the DSP's
        /// hosts' own files, until `cert move-to-token` moves them into the token. From then on a
        /// DSP host needs the token, and a host's older copy of a key is refused, not used.
        @Test func theDCCKeysMovedToATokenAreNeededByEveryDSPHost() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let token = try SoftHSMToken()
            defer { token.remove() }
            let dccKeys = ["dcc-acb-ds", "dcc-acb-ka", "csp-north-ds", "dcc-tcos-ds", "smki-recovery-ds", "smki-root-ds"].map { "keys/\($0).key" }
            #expect(store.psql("select count(*) from anchordesk.vault_files where name like 'keys/%'").stdout == "0\n")
            for name in dccKeys { #expect(FileManager.default.fileExists(atPath: store.machine("admin") + "/smki/" + name), "\(name)") }
            // A second DSP host, given the keys as files before the move.
            #expect(try store.run(["counters", Self.device], machine: "old-host").exitCode == 0)
            for name in dccKeys { #expect(FileManager.default.fileExists(atPath: store.machine("old-host") + "/smki/" + name), "\(name)") }
            let moved = try store.run(["cert", "move-to-token"], environment: token.environment)
            #expect(moved.exitCode == 0, "\(moved.stderr)")
            for name in dccKeys { #expect(!FileManager.default.fileExists(atPath: store.machine("admin") + "/smki/" + name), "\(name)") }
            #expect(Self.stored("token-keys", in: store) == Self.hex(store.machine("admin") + "/smki/token-keys"))

            // A host given the token and the demo Users' keys runs the story.
            let withToken = token.environment.merging(["ANCHORDESK_KEYS": store.demoUserKeys]) { $1 }
            #expect(try store.run(["request", "6.15.1", "--as", "national-grid", "--device", Self.device, "--cert", "acb"],
                                  machine: "dsp-host", environment: withToken).exitCode == 0)
            let placed = try store.run(["request", "6.21", "--as", "heron-energy", "--device", Self.device, "--gno", "cadent", "--json"],
                                       machine: "dsp-host", environment: withToken)
            #expect(try placed.json()["outcome"] as? String == "succeeded", "\(placed.stdout)\(placed.stderr)")
            for name in dccKeys { #expect(!FileManager.default.fileExists(atPath: store.machine("dsp-host") + "/smki/" + name)) }
            // The older host, not given the token, refuses and records nothing; given it, it
            // still refuses while its copies of the keys are there, naming one to remove.
            let before = store.psql("select count(*) from anchordesk.changes").stdout
            let refused = try store.run(["request", "6.15.1", "--as", "cadent", "--device", Self.device, "--cert", "acb"],
                                        machine: "old-host", environment: ["ANCHORDESK_KEYS": store.demoUserKeys])
            #expect(refused.exitCode == 3 && refused.stderr.contains("the DCC's private keys are in the PKCS#11 token"), "\(refused.stderr)")
            let stale = try store.run(["request", "6.15.1", "--as", "cadent", "--device", Self.device, "--cert", "acb"],
                                      machine: "old-host", environment: withToken)
            #expect(stale.exitCode == 3 && stale.stderr.contains(".key"), "\(stale.stderr)")
            #expect(store.psql("select count(*) from anchordesk.changes").stdout == before)
        }

        @Test func aChangeWaitingOnAnotherPastTheLockTimeoutIsOneLineAndChangesNothing() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let other = try DemoStore()
            defer { other.remove() }
            let vaultBefore = store.psql(Self.vault).stdout
            let folderBefore = try DemoStore.files(in: store.machine("admin") + "/smki")
            let holder = try BadInput.holdRows(in: store, "lock table anchordesk.vault_files in exclusive mode")
            defer { BadInput.release(holder) }
            let waited = try store.run(["cert", "import", other.path + "/smki/cadent-ds.pem", "--org", "cadent"],
                                       environment: ["ANCHORDESK_LOCK_TIMEOUT": "0.5"])
            #expect(waited.exitCode == 3, "\(waited.stderr)")
            #expect(waited.stderr.hasPrefix("error: ") && waited.stderr.split(separator: "\n").count == 1, "\(waited.stderr)")
            #expect(waited.stderr.contains("another administrator is changing the DCC's keys"), "\(waited.stderr)")
            BadInput.release(holder)
            #expect(store.psql(Self.vault).stdout == vaultBefore)
            #expect(try DemoStore.files(in: store.machine("admin") + "/smki") == folderBefore)
        }
    }
}
