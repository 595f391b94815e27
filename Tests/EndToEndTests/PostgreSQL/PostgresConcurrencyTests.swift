import Foundation
import Testing

extension PostgreSQLTests {
    /// Eight operators on eight machines, all writing to the same 200 devices at once.
    @Suite struct Concurrency {
        @Test func eightProcessesOnTheSame200DevicesLoseNothingAndNeverReuseACounter() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let listing = try store.run(["devices", "--json"])
            let devices = (try listing.json()["devices"] as? [[String: Any]] ?? []).prefix(200)
            try #require(devices.count == 200)

            // Each process: 30 requests over devices that overlap the others', half SRV6.15.1
            // (as the GNO whose certificate the device holds), half SRV6.21 (as its Supplier).
            var scripts: [[String]] = []
            for process in 0..<8 {
                var lines: [String] = []
                for step in 0..<30 {
                    let device = devices[devices.startIndex + (process * 7 + step * 13) % 200]
                    let id = device["id"] as? String ?? ""
                    let holder = (device["networkOperatorCell"] as? [String: Any])?["owner"] as? String ?? ""
                    let supplier = device["supplier"] as? String ?? ""
                    let command = (process + step) % 2 == 0 && holder != "dcc-acb"
                        ? "request 6.15.1 --as \(holder) --device \(id) --cert acb"
                        : "request 6.21 --as \(supplier) --device \(id) --gno cadent"
                    lines.append("\"$ANCHORDESK\" \(command) --json --store \"$STORE\" > out-\(step).json 2>> err.txt; echo \"$?\" >> exits.txt")
                }
                scripts.append(lines)
            }
            let folders = try store.runOperatorsAtOnce(scripts, named: "desk", lockTimeout: 300)

            // What each process was told: processed (0, or 1 for a logged rejection) with its request document.
            var acknowledged: [[String: Any]] = []
            for folder in folders {
                let exits = try String(contentsOfFile: folder + "/exits.txt", encoding: .utf8).split(separator: "\n")
                #expect(exits.count == 30)
                let errors = (try? String(contentsOfFile: folder + "/err.txt", encoding: .utf8)) ?? ""
                #expect(exits.allSatisfy { $0 == "0" || $0 == "1" || $0 == "2" }, "a request failed outright: \(errors)")
                for (step, exit) in exits.enumerated() where exit == "0" || exit == "1" {
                    let output = try Data(contentsOf: URL(fileURLWithPath: folder + "/out-\(step).json"))
                    acknowledged.append(try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any]))
                }
            }
            #expect(acknowledged.count > 200)

            // Every acknowledged request is in the log, once.
            let log = try store.run(["requests", "--json"]).json()["requests"] as? [[String: Any]] ?? []
            let logged = Dictionary(grouping: log, by: { $0["requestId"] as? String ?? "" })
            for request in acknowledged {
                let id = request["requestId"] as? String ?? ""
                #expect(logged[id]?.count == 1, "\(id) is not in the log exactly once")
            }
            let succeeded = log.filter { $0["outcome"] as? String == "succeeded" && !DemoStore.historyRequestIds.contains($0["requestId"] as? String ?? "") }
            // No device handed over twice; no originator counter used twice by one originator.
            let handovers = succeeded.filter { $0["service"] as? String == "6.15.1" }
            #expect(Set(handovers.map { $0["device"] as? String ?? "" }).count == handovers.count)
            let counters = succeeded.map { "\($0["originator"] as? String ?? ""):\($0["originatorCounter"] as? String ?? "")" }
            #expect(Set(counters).count == counters.count, "a counter was issued twice")
            // Every SRV6.21 used a counter above the device's recorded one.
            for placement in succeeded where placement["service"] as? String == "6.21" {
                let used = UInt64(placement["originatorCounter"] as? String ?? "") ?? 0
                if let recorded = placement["recordedCounter"] as? String {
                    #expect(used > UInt64(recorded) ?? .max, "\(placement["requestId"] ?? "")")
                }
            }
            #expect(handovers.count > 0 && succeeded.count > handovers.count, "both services succeeded somewhere")
            #expect(try store.run(["audit", "verify"]).exitCode == 0)
            #expect(store.psql("select count(*) from anchordesk.changes").stdout == "\(acknowledged.count)\n")
            // The device table the console pages through agrees with the records, paged either way.
            try Paging.expectPagesMatchTheWholeStore(store, machine: "after-the-rush")
        }
    }
}
