import AnchorCore
import AnchorStore
import Foundation
import Testing

/// Scheduled departures through the CLI: `--execute-at`, `alerts process` after the clock
/// passes, a SIGKILL between the alerts' arrival and their processing, and 10,000 at once.
@Suite("Scheduled departures end to end")
struct ScheduledDepartureEndToEndTests {
    static let before = "2026-11-25T09:00:00Z"
    static let due = "2026-12-01T00:00:00Z"
    static let after = ["ANCHORDESK_NOW": "2026-12-01T00:00:30Z"]

    /// Every National Grid GPF of the store.
    func nationalGridDevices(_ store: DemoStore) throws -> [EUI64] {
        let estate = try Store.open(at: store.path, access: .readOnly).estate
        let filter = try DeviceFilter(parsing: "no=national-grid")
        return estate.devices.filter { filter.matches($0, in: estate.ledger) }.map(\.id)
    }

    /// Each device's alerts were processed exactly once and recorded exactly one counter.
    func expectEachProcessedOnce(_ devices: [EUI64], in store: DemoStore) throws {
        let ledger = try Store.open(at: store.path, access: .readOnly).estate.ledger
        let alertSteps = ledger.schedule.filter { $0.alert != nil }
        #expect(ledger.alerts.count == devices.count)
        #expect(alertSteps.count == devices.count, "one processing per alert")
        #expect(Set(alertSteps.compactMap(\.alert)).count == devices.count, "no alert processed twice")
        #expect(alertSteps.allSatisfy { $0.event == .executed && $0.recordedCounter != nil })
        #expect(ledger.unprocessedAlerts.isEmpty)
        #expect(ledger.pendingCommands.isEmpty)
        let recordedTwice = devices.filter { (ledger.counterHistory[$0]?.count ?? 0) != 1 }
        #expect(recordedTwice.isEmpty, "each device's counter recorded exactly once (\(recordedTwice.count) are not)")
    }

    @Test func theStoryScheduledHandBackThenHandover() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let device = "00-DB-12-01-73-F7-8B-92"
        let scheduled = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb",
                                       "--execute-at", Self.due, "--json"])
        #expect(scheduled.exitCode == 0, "\(scheduled.stderr)")
        #expect(try scheduled.json()["outcome"] as? String == "scheduled")
        let shown = try store.run(["device", "show", device])
        #expect(shown.stdout.contains("scheduled: hand-back"), "\(shown.stdout)")
        #expect(try store.run(["alerts", "process", "--json"]).stdout == "{\"arrived\":0}\n", "nothing due yet")
        let pending = try store.run(["alerts", "pending", "--json"]).json()["pending"] as? [[String: Any]]
        #expect(pending?.first?["dueAt"] as? String == Self.due)
        let risk = try store.run(["report", "counter-risk", "--json"]).stdout
        #expect(risk.contains("scheduled-hand-back"))
        let refused = try store.run(["request", "6.21", "--as", "heron-energy", "--device", device, "--gno", "cadent", "--json"])
        #expect(refused.exitCode == 1)
        #expect(try refused.json()["reason"] as? String == "hand-back-pending")

        // The next writer after the due time processes the alert first: the handover then passes.
        let handover = try store.run(["request", "6.21", "--as", "heron-energy", "--device", device, "--gno", "cadent", "--json"],
                                     environment: Self.after)
        #expect(handover.exitCode == 0, "\(handover.stderr)")
        #expect(handover.stderr.contains("alerts: 1 arrived; 1 processed: 1 executed (1 counters recorded)"))
        let alerts = try store.run(["alerts", "--json"]).json()["alerts"] as? [[String: Any]]
        #expect((alerts?.first?["processed"] as? [String: Any])?["event"] as? String == "executed")
        // The alert as received verifies on its own with the device's key.
        let bytes = try #require(alerts?.first?["bytes"] as? String)
        let decoded = try store.run(["gbcs", "decode", bytes, "--verify"])
        #expect(decoded.exitCode == 0, "\(decoded.stderr)")
        #expect(decoded.stdout.contains("0x8F66") && decoded.stdout.contains("signature valid"))
        #expect(try store.run(["audit", "verify"]).exitCode == 0)
    }

    @Test func badScheduleInputIsRefusedAndChangesNothing() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let base = ["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb"]
        let before = try store.files()
        for (extra, code) in [
            (["--execute-at", "tomorrow"], "bad-time"), (["--execute-at", "2026-12-01"], "bad-time"),
            (["--execute-at", "2026-11-24T00:00:00Z"], "invalid-request"), (["--execute-at", "9999-12-31T23:59:59Z"], "invalid-request"),
            (["--execute-at", Self.due, "--cancel-scheduled"], "bad-input"),
        ] {
            let result = try store.run(base + extra + ["--json"])
            #expect(result.exitCode == 2, "\(extra): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect((try result.json()["error"] as? [String: Any])?["code"] as? String == code, "\(extra): \(result.stdout)")
        }
        #expect(try store.files() == before)
        let cancel = try store.run(base + ["--cancel-scheduled", "--json"])
        #expect(cancel.exitCode == 1)
        #expect(try cancel.json()["reason"] as? String == "nothing-scheduled")
    }

    @Test func aKillBetweenTheAlertsArrivalAndTheirProcessingLosesNothingAndProcessesEachOnce() throws {
        let store = try DemoStore()
        defer { store.remove() }
        #expect(try store.run(["init", "--estate", "3000", "--seed", "21", "--force"]).exitCode == 0)
        let devices = try nationalGridDevices(store)
        let bulk = try store.run(["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb",
                                  "--execute-at", Self.due])
        #expect(bulk.exitCode == 0, "\(bulk.stderr)")

        // `alerts process --json` says {"arrived":N} once the arrivals are durable; kill it there.
        var process = try RunningAnchorDesk(["alerts", "process", "--json", "--store", store.path], environment: Self.after)
        process.waitForLines(1)
        kill(process.process.processIdentifier, SIGKILL)
        process.finish()
        #expect(process.process.terminationReason == .uncaughtSignal, "killed, not finished")
        #expect(process.lines.first == "{\"arrived\":\(devices.count)}")

        let killed = try Store.open(at: store.path, access: .readOnly).estate.ledger
        #expect(killed.alerts.count == devices.count, "every arrival that was reported is on disk")
        #expect(!killed.unprocessedAlerts.isEmpty, "the kill came before the processing was committed")
        #expect(killed.pendingCommands.count == killed.unprocessedAlerts.count)

        let rerun = try store.run(["alerts", "process"], environment: Self.after)
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("alerts: 0 arrived; \(killed.unprocessedAlerts.count) processed"))
        try expectEachProcessedOnce(devices, in: store)
        #expect(try store.run(["audit", "verify"]).exitCode == 0)
    }

    @Test func tenThousandScheduledForOneTimeAreEachProcessedOnce() throws {
        let store = try DemoStore()
        defer { store.remove() }
        #expect(try store.run(["init", "--estate", "34000", "--seed", "8", "--force"]).exitCode == 0)
        let devices = try nationalGridDevices(store)
        #expect(devices.count >= 10_000)
        let bulk = try store.run(["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb",
                                  "--execute-at", Self.due])
        #expect(bulk.exitCode == 0, "\(bulk.stderr)")
        #expect(bulk.stdout.contains("\(devices.count) scheduled, 0 rejected"))
        // A rerun before the due time sends nothing twice.
        #expect(try store.run(["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb",
                               "--execute-at", Self.due]).stdout.contains("0 of 0 sent"))
        let processed = try store.run(["alerts", "process"], environment: Self.after)
        #expect(processed.exitCode == 0, "\(processed.stderr)")
        #expect(processed.stdout.contains("alerts: \(devices.count) arrived; \(devices.count) processed: \(devices.count) executed"))
        try expectEachProcessedOnce(devices, in: store)
        #expect(try store.run(["alerts", "process"], environment: Self.after).stdout.contains("nothing due"))
    }
}
