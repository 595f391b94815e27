import Foundation
import Testing

extension PostgreSQLTests {
    /// The National Grid → Cadent story on PostgreSQL, and exact 64-bit counters.
    @Suite struct Story {
        static let device = "00-DB-12-01-73-F7-8B-92"

        @Test func theHandoverIsRecordedInTheDatabaseAndSRV621UsesACounterAboveIt() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", Self.device, "--cert", "acb", "--json"])
            #expect(handBack.exitCode == 0, "\(handBack.stderr)")
            let recorded = store.psql("select counter from anchordesk.recorded_counters where device = '\(Self.device)'")
            let counter = try #require(UInt64(recorded.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(recorded.stderr)")

            // Another machine, with a local copy of its own, places Cadent's certificate.
            let placed = try store.run(["request", "6.21", "--as", "heron-energy", "--device", Self.device, "--gno", "cadent", "--json"],
                                       machine: "supplier-desk", environment: ["ANCHORDESK_KEYS": store.demoUserKeys])
            #expect(placed.exitCode == 0, "\(placed.stderr)")
            let used = try #require(UInt64(try placed.json()["originatorCounter"] as? String ?? ""))
            #expect(used > counter)

            let rows = store.psql("select sequence, kind, organisation from anchordesk.changes order by sequence").stdout
            #expect(rows == "1|request|national-grid\n2|request|heron-energy\n")
            #expect(try store.run(["audit", "verify"]).exitCode == 0)
            #expect(try store.run(["store", "check"], machine: "supplier-desk").exitCode == 0)
        }

        @Test func countersAreExactUpToTwoToTheSixtyFourMinusOne() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let maximum = "18446744073709551615"
            let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", Self.device, "--cert", "acb", "--counter", maximum,
                                          "--allow-counter-jump"])
            #expect(handBack.exitCode == 0, "\(handBack.stderr)")
            #expect(store.psql("select counter::text from anchordesk.recorded_counters where device = '\(Self.device)'").stdout == maximum + "\n")
            #expect(store.psql("select last_sequence::text from anchordesk.head").stdout == "1\n")
            // The column's type holds exactly 0 … 2^64 − 1, whoever writes.
            #expect(store.psql("select \(maximum)::anchordesk.counter::text").stdout == maximum + "\n")
            #expect(store.psql("select 18446744073709551616::anchordesk.counter").exitCode != 0)
            #expect(store.psql("select (-1)::anchordesk.counter").exitCode != 0)
            // A fresh machine reads it back exactly.
            let device = try store.run(["device", "show", Self.device, "--json"], machine: "fresh")
            #expect(device.stdout.contains(maximum), "\(device.stdout)")
        }
    }
}
