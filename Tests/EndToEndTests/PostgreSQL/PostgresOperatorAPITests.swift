import Foundation
import Testing

extension PostgreSQLTests {
    /// A DSP on PostgreSQL behind the operator API: the story from operators' machines, each
    /// request decided per device in the database and naming the operator there.
    @Suite struct OperatorAPI {
        @Test func theStoryRunsThroughTheOperatorAPIOfAPostgreSQLDSP() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let dsp = try Self.dsp(store)
            defer { dsp.stop() }
            let nationalGrid = try Self.machine("national-grid", of: store)
            let heron = try Self.machine("heron-energy", of: store)
            let device = try OperatorAPIEndToEndTests.device(
                heldBy: "national-grid", suppliedBy: "heron-energy", listing: try store.run(["devices", "--filter", "no=national-grid", "--json"]))

            let handBack = try nationalGrid.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb", "--json"], dsp)
            #expect(handBack.exitCode == 0, "\(handBack.stderr)")
            #expect(try handBack.json()["outcome"] as? String == "succeeded")
            let handover = try heron.run(["request", "6.21", "--as", "heron-energy", "--device", device, "--gno", "cadent", "--json"], dsp)
            #expect(handover.exitCode == 0, "\(handover.stderr)")
            let recorded = try #require((try handBack.json()["originatorCounter"] as? String).flatMap { UInt64($0) })
            #expect((try handover.json()["originatorCounter"] as? String).flatMap { UInt64($0) }.map { $0 > recorded } == true)

            // Read back from the database by another machine: the operators are in the log, the chain verifies.
            let logged = try store.run(["requests", "--device", device, "--json"], machine: "auditor").json()["requests"] as? [[String: Any]] ?? []
            #expect(logged.suffix(2).map { $0["operator"] as? String }
                == ["CN=national-grid,O=AnchorDesk demo operators", "CN=heron-energy,O=AnchorDesk demo operators"], "\(logged.suffix(2))")
            #expect(try store.run(["audit", "verify"], machine: "auditor").exitCode == 0)
            let remote = try heron.run(["device", "show", device, "--json"], dsp)
            #expect(remote.exitCode == 0, "\(remote.stderr)")
            #expect((try remote.json()["networkOperatorCell"] as? [String: Any])?["owner"] as? String == "cadent")
        }

        /// National Grid's whole hand-back from its operator's machine, a group at a time, decided
        /// per device by a PostgreSQL DSP: every GPF it held now holds the ACB, each request names
        /// the operator; then the DCC's operator ceases it; the chain verifies from another machine.
        @Test func aBulkHandBackAndTheCeaseRunThroughTheOperatorAPIOfAPostgreSQLDSP() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let dsp = try Self.dsp(store)
            defer { dsp.stop() }
            let nationalGrid = try Self.machine("national-grid", of: store)
            let held = try #require(try store.run(["devices", "--filter", "no=national-grid", "--limit", "0", "--json"]).json()["total"] as? Int)
            let handBack = try nationalGrid.run(
                ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb", "--group-size", "9", "--json"], dsp)
            #expect(handBack.exitCode == 0, "\(handBack.stderr)")
            let lines = handBack.stdout.split(separator: "\n")
            #expect(held > 9 && lines.count == held)
            #expect(lines.allSatisfy { $0.contains("\"outcome\":\"succeeded\"") && $0.contains("\"operator\":\"CN=national-grid,") }, "\(lines.first ?? "")")
            #expect(try store.run(["devices", "--filter", "no=national-grid", "--limit", "0", "--json"], machine: "auditor").json()["total"] as? Int == 0)
            // The DCC's operator ceases National Grid: the record, chained in the database, names it.
            let dcc = try Self.machine("dcc", of: store)
            let cease = try dcc.run(["org", "cease", "national-grid", "--json"], dsp)
            #expect(cease.exitCode == 0, "\(cease.stderr)")
            #expect(try cease.json()["operator"] as? String == "CN=dcc,O=AnchorDesk demo operators")
            #expect(try store.run(["audit", "verify"], machine: "auditor").exitCode == 0)
            // The DSP checks the chain over a fresh copy of the database's records, and reads the whole log, for an operator.
            for read in [["audit", "verify", "--json"], ["requests", "--json"]] {
                let remote = try dcc.run(read, dsp)
                #expect(remote.exitCode == 0, "\(read): \(remote.stderr)")
                #expect(remote.stdout == (try store.run(read, machine: "auditor")).stdout, "\(read)")
            }
            let exported = try store.run(["audit", "export"], machine: "auditor").stdout
            #expect(exported.contains("\"action\":\"cease\",\"organisation\":\"national-grid\"") && exported.contains("\"operator\":\"CN=dcc,"))
        }

        /// A console on an operator's machine pages a PostgreSQL DSP's device table through the
        /// operator API: the DSP answers from its rows, and the console never reads the estate.
        @Test func aRemoteConsolePagesThePostgreSQLDSP() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let dsp = try Self.dsp(store)
            defer { dsp.stop() }
            let cadent = try Self.machine("cadent", of: store)
            let matching = try #require(try store.run(["devices", "--filter", "no=cadent", "--limit", "0", "--json"]).json()["total"] as? Int)
            #expect(matching > 0)
            let session = TUISmokeTests.Session(tmux: try #require(TUISmokeTests.tmux))
            defer { session.kill() }
            try session.openConsole(store: dsp.address, environment: RemoteConsoleTests.words(cadent.environment),
                                    ready: "221 devices, read from the DSP a page at a time")
            try session.keys("/")
            try session.type("no=cadent")
            try session.keys("Enter")
            _ = try session.waitFor(text: "\(matching) shown of \(matching) matching, 221 devices")
        }

        /// `serve` on the database, on the DSP's host: the demo's operator TLS files are where the
        /// administrator ran init, and the DSP's machine gets the DSP's share.
        static func dsp(_ store: PostgresTestStore) throws -> OperatorDSP {
            try FileManager.default.createDirectory(atPath: store.machine("dsp"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: store.machine("admin") + "/operator-tls", toPath: store.machine("dsp") + "/operator-tls")
            return try OperatorDSP(store: store.url(), environment: try store.dspHost("dsp"), log: store.root.appendingPathComponent("serve.log").path)
        }

        /// The operator's machine of `name` (an organisation, or `dcc`), with the files init wrote on the administrator's.
        static func machine(_ name: String, of store: PostgresTestStore) throws -> OperatorMachine {
            let organisations = try store.run(["orgs", "--json"]).json()["orgs"] as? [[String: Any]] ?? []
            return try OperatorMachine(name, organisations: organisations, files: store.machine("admin"), in: store.root.path)
        }
    }
}
