import AnchorCore
@testable import AnchorPostgres
import AnchorService
import AnchorStore
import Foundation
import Testing

extension PostgreSQLTests {
    /// Eight processes race on the same ten devices, each trying every hand-back and every handover.
    @Suite struct Races {
        @Test func eachDeviceIsHandedBackOnceAndEveryHandoverUsesTheRecordedCounter() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let listing = try store.run(["devices", "--filter", "no=national-grid", "--json"])
            let devices = (try listing.json()["devices"] as? [[String: Any]] ?? []).prefix(10)
            try #require(devices.count == 10)

            // Every process: for each device, National Grid's hand-back, then its Supplier's
            // SRV6.21 for Cadent; the processes start on different devices.
            var scripts: [[String]] = []
            for process in 0..<8 {
                var lines: [String] = []
                for step in 0..<10 {
                    let device = devices[devices.startIndex + (process + step) % 10]
                    let id = device["id"] as? String ?? ""
                    let supplier = device["supplier"] as? String ?? ""
                    lines.append("\"$ANCHORDESK\" request 6.15.1 --as national-grid --device \(id) --cert acb --json --store \"$STORE\" > out-\(step)-a.json 2>> err.txt; echo \"$?\" >> exits.txt")
                    lines.append("\"$ANCHORDESK\" request 6.21 --as \(supplier) --device \(id) --gno cadent --json --store \"$STORE\" > out-\(step)-b.json 2>> err.txt; echo \"$?\" >> exits.txt")
                }
                scripts.append(lines)
            }
            let folders = try store.runOperatorsAtOnce(scripts, named: "racer", lockTimeout: 120)

            for folder in folders {
                let exits = try String(contentsOfFile: folder + "/exits.txt", encoding: .utf8).split(separator: "\n")
                let errors = (try? String(contentsOfFile: folder + "/err.txt", encoding: .utf8)) ?? ""
                #expect(exits.count == 20)
                // Processed, or refused by the engine and logged (exit 1); never a failure.
                #expect(exits.allSatisfy { $0 == "0" || $0 == "1" }, "a request failed outright: \(errors)")
            }
            let log = try store.run(["requests", "--json"]).json()["requests"] as? [[String: Any]] ?? []
            let ids = Set(devices.map { $0["id"] as? String ?? "" })
            let raced = log.filter { ids.contains($0["device"] as? String ?? "") && !DemoStore.historyRequestIds.contains($0["requestId"] as? String ?? "") }
            #expect(raced.count == 8 * 20, "every request is logged once")
            let succeeded = raced.filter { $0["outcome"] as? String == "succeeded" }
            let handBacks = succeeded.filter { $0["service"] as? String == "6.15.1" }
            let handovers = succeeded.filter { $0["service"] as? String == "6.21" }
            // Each device handed back exactly once, and handed over to Cadent exactly once after it.
            #expect(handBacks.count == 10 && Set(handBacks.map { $0["device"] as? String ?? "" }) == ids)
            #expect(handovers.count == 10 && Set(handovers.map { $0["device"] as? String ?? "" }) == ids)
            // No ACB counter issued twice: every command the ACB sent (the device answered, yes or
            // no) used a counter of its own. A request refused before it was sent used none.
            let answeredByTheDevice: Set<String> = ["anti-replay", "bad-certificate", "device-error", "no-response", "unverified-response"]
            let sent = raced.filter { $0["originator"] as? String == "dcc-acb" }.filter {
                $0["outcome"] as? String == "succeeded" || answeredByTheDevice.contains($0["reason"] as? String ?? "")
            }
            let acbCounters = sent.map { $0["originatorCounter"] as? String ?? "" }
            #expect(Set(acbCounters).count == acbCounters.count, "an ACB counter was issued twice")
            // Each SRV6.21 used a counter above the one its device's hand-back recorded.
            let recordedByDevice = Dictionary(uniqueKeysWithValues: handBacks.map {
                ($0["device"] as? String ?? "", UInt64($0["recordedCounter"] as? String ?? "") ?? .max)
            })
            for handover in handovers {
                let device = handover["device"] as? String ?? ""
                let used = UInt64(handover["originatorCounter"] as? String ?? "") ?? 0
                #expect(used > recordedByDevice[device] ?? .max, "\(device): SRV6.21 used \(used)")
            }
            #expect(try store.run(["audit", "verify"]).exitCode == 0)
            try Paging.expectPagesMatchTheWholeStore(store, machine: "after-the-race")
        }

        /// Four GNOs hand all their devices back at once: each writer makes cell sets no device
        /// had before, and they are numbered one at a time, so nobody fails.
        @Test func fourGNOsHandingBackAtOnceAllSucceed() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let gnos = ["national-grid", "cadent", "sgn", "wales-west"]
            let folders = try store.runOperatorsAtOnce(gnos.map { gno in
                ["\"$ANCHORDESK\" bulk 6.15.1 --as \(gno) --filter no=\(gno) --cert acb --group-size 3 --store \"$STORE\" > out.txt 2> err.txt; echo \"$?\" > exit.txt"]
            }, named: "gno", lockTimeout: 60)
            for folder in folders {
                let exit = try String(contentsOfFile: folder + "/exit.txt", encoding: .utf8)
                let errors = (try? String(contentsOfFile: folder + "/err.txt", encoding: .utf8)) ?? ""
                #expect(exit == "0\n", "\(folder): \(errors)")
            }
            for gno in gnos {
                let left = try store.run(["devices", "--filter", "no=\(gno)", "--json"]).json()["devices"] as? [[String: Any]]
                #expect(left?.isEmpty == true, "\(gno) still holds devices")
            }
            #expect(try store.run(["audit", "verify"]).exitCode == 0)
            try Paging.expectPagesMatchTheWholeStore(store, machine: "after-the-hand-backs")
        }

        /// A writer that waits for a device's row while another writer moves it to another cell
        /// set reads the row as that writer committed it: `lock_devices` alone, re-checking its
        /// join against the cell set the row had before, gave back no row, and the request was
        /// refused with "no device".
        @Test func aRowChangedWhileAWriterWaitedForItIsReadAsCommitted() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let device = "00-DB-12-01-73-F7-8B-92"
            let other = store.psql("select number from anchordesk.cell_sets where number <> (select cell_set from anchordesk.devices where id = '\(device)') limit 1")
            let target = try #require(Int(other.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(other.stderr)")
            // Another session holds the row, moves it to another cell set, and commits two seconds on.
            let holder = Thread {
                store.psql("begin; update anchordesk.devices set cell_set = \(target) where id = '\(device)'; select pg_sleep(2); commit;")
            }
            holder.start()
            Thread.sleep(forTimeInterval: 0.7)
            let backend = PostgresStore(location: try PostgresLocation(url: store.url()),
                                        environment: try store.dspHost("writer"))
            let writer = try PostgresEstateStore(backend).openWriter(lockTimeout: .seconds(30))
            defer { writer.close() }
            let id = try #require(EUI64(device))
            try writer.prepare(devices: [id], counterOwners: [])
            let cells = store.psql("select cells::text from anchordesk.cell_sets where number = \(target)").stdout
            let expected = try DeviceRowText.cells(cells.trimmingCharacters(in: .whitespacesAndNewlines), shownAs: "test")
            #expect(writer.estate.devices[id]?.cells == expected, "the row as the other writer committed it")
            writer.release()
        }

        /// A writer that prepares again rows its open transaction already holds keeps holding
        /// them: a bulk SRV6.15.1 through the operator API checks a group's counters against the
        /// GNO's last, then stages the group; had the hold gone in between, another writer waiting
        /// for the GNO's counter could use it, and the bulk record a counter already used.
        @Test func preparingAgainWhatIsHeldKeepsTheHold() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let backend = PostgresStore(location: try PostgresLocation(url: store.url()), environment: try store.dspHost("writer"))
            let writer = try PostgresEstateStore(backend).openWriter(lockTimeout: .seconds(30))
            defer { writer.close() }
            let device = try #require(EUI64("00-DB-12-01-73-F7-8B-92"))
            try writer.prepare(devices: [device], counterOwners: ["national-grid"])
            let checked = try #require(writer.estate.ledger.organisation("national-grid")?.lastCounter)
            // Another writer waits for National Grid's counter, to use the next one.
            let other = Thread {
                store.psql("update anchordesk.organisation_counters set last_counter = last_counter + 1 where organisation = 'national-grid'")
            }
            other.start()
            Thread.sleep(forTimeInterval: 0.7)
            try writer.prepare(devices: [device], counterOwners: ["national-grid"])
            #expect(writer.estate.ledger.organisation("national-grid")?.lastCounter == checked, "the counter was used between the check and the staging")
            writer.release()
            // Let go, the other writer goes on.
            var counter = checked
            for _ in 0..<100 where counter == checked {
                Thread.sleep(forTimeInterval: 0.1)
                try writer.prepare(devices: [], counterOwners: ["national-grid"])
                counter = try #require(writer.estate.ledger.organisation("national-grid")?.lastCounter)
                writer.release()
            }
            #expect(counter.value == checked.value + 1)
        }
    }
}
