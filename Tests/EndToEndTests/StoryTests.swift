import Foundation
import Testing

/// The National Grid → Cadent story, driven through the executable.
@Suite("End to end: hand back, then hand over")
struct StoryTests {
    // From demo-data/README.md: National Grid devices and their Responsible Suppliers.
    let firstDevice = "00-DB-12-01-73-F7-8B-92"
    let firstSupplier = "heron-energy"
    let secondDevice = "00-DB-12-02-2F-AE-E4-4E"
    let secondSupplier = "kestrel-supply"

    @Test func handBackRecordsTheCounterAndTheHandoverUsesRecordedPlusOne() throws {
        let store = try DemoStore()
        defer { store.remove() }

        let handBack = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", firstDevice, "--cert", "acb", "--json"])
        #expect(handBack.exitCode == 0, "\(handBack.stderr)")
        let handBackJSON = try handBack.json()
        #expect(handBackJSON["outcome"] as? String == "succeeded")
        let counter = try #require(handBackJSON["originatorCounter"] as? String)
        #expect(handBackJSON["recordedCounter"] as? String == counter)
        #expect(handBackJSON["reason"] is NSNull)

        let handover = try store.run(["request", "6.21", "--as", firstSupplier, "--device", firstDevice.lowercased(), "--gno", "cadent", "--json"])
        #expect(handover.exitCode == 0, "\(handover.stderr)")
        let handoverJSON = try handover.json()
        #expect(handoverJSON["outcome"] as? String == "succeeded")
        #expect(handoverJSON["originator"] as? String == "dcc-acb")
        #expect(handoverJSON["storedCounter"] as? String == counter)
        let recorded = try #require(UInt64(counter))
        let expected = recorded + 1
        #expect(handoverJSON["originatorCounter"] as? String == String(expected))
        let generated = try #require(handoverJSON["generatedCounter"] as? String)
        #expect((UInt64(generated) ?? .max) < expected)

        let device = try store.run(["device", "show", firstDevice, "--json"]).json()
        let cell = try #require(device["networkOperatorCell"] as? [String: Any])
        #expect(cell["owner"] as? String == "cadent")
        #expect(device["recordedCounter"] as? String == counter)

        let history = try store.run(["counters", firstDevice, "--json"]).json()
        let entries = try #require(history["history"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["counter"] as? String == counter)
        #expect(entries.first?["service"] as? String == "6.15.1")
    }

    @Test func legacyCountersAreRefusedByTheDeviceAndLogged() throws {
        let store = try DemoStore()
        defer { store.remove() }
        #expect(try store.run(["request", "6.15.1", "--as", "national-grid", "--device", secondDevice, "--cert", "acb"]).exitCode == 0)

        let legacy = try store.run(["request", "6.21", "--as", secondSupplier, "--device", secondDevice, "--gno", "cadent", "--legacy-counters", "--json"])
        #expect(legacy.exitCode == 1)
        let json = try legacy.json()
        #expect(json["outcome"] as? String == "rejected")
        #expect(json["reason"] as? String == "anti-replay")
        #expect(json["deviceFloor"] is NSNull)

        let device = try store.run(["device", "show", secondDevice, "--json"]).json()
        #expect((device["networkOperatorCell"] as? [String: Any])?["owner"] as? String == "dcc-acb")
        let log = try store.run(["requests", "--device", secondDevice, "--json"]).json()
        let requests = try #require(log["requests"] as? [[String: Any]])
        #expect(requests.map { $0["outcome"] as? String } == ["succeeded", "rejected"])
        #expect(requests.last?["reason"] as? String == "anti-replay")
    }

    @Test func aGNOThatIsNotADCCUserCannotBePlaced() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let acbDevice = "00-DB-12-02-70-A7-80-E9"
        let result = try store.run(["request", "6.21", "--as", "kestrel-supply", "--device", acbDevice, "--gno", "northern-gas-networks", "--json"])
        #expect(result.exitCode == 1)
        #expect(try result.json()["reason"] as? String == "gno-not-dcc-user")
    }

    @Test func listingsFilterAndReportTotals() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let all = try store.run(["devices", "--json"]).json()
        #expect(all["total"] as? Int == 221)
        let nationalGrid = try store.run(["devices", "--filter", "no=national-grid", "--limit", "5", "--json"]).json()
        #expect(nationalGrid["total"] as? Int == 60)
        #expect((nationalGrid["devices"] as? [Any])?.count == 5)
        let orgs = try store.run(["orgs", "--json"]).json()
        let cadent = try #require((orgs["orgs"] as? [[String: Any]])?.first { $0["id"] as? String == "cadent" })
        #expect(cadent["role"] as? String == "networkOperator")
        #expect(cadent["dccUser"] as? Bool == true)
    }
}
