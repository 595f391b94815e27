import AnchorCore
import AnchorService
import AnchorStore
import Foundation
import GPFSimulator
import SMKI

/// Scheduled departures: a future-dated hand-back of N GPFs (acknowledged, then the alerts
/// delivered and processed when the clock passes) against the same N handed back at once, in
/// the same run on the same estate; and the check every writer makes for due work, against a
/// plain scan of the same devices.
enum ScheduleBenchmark {
    static func run(base: Ledger, devices count: Int, scheduled: Int, directory: String, estateForScan: Estate) throws -> [ResultRow] {
        let path = directory + "/schedule"
        try? FileManager.default.removeItem(atPath: path)
        try Store.create(at: path, with: try SyntheticEstate.generate(over: base, count: count, seed: 2), replacingExisting: true)
        let store = try Store.open(at: path, access: .readWrite(lockTimeout: .seconds(5)))
        defer { store.close() }
        let now = Timestamp(secondsSince1970: 1_764_000_000)
        let due = now.adding(days: 1)
        let credentials = DemoCredentialsCache.credentials(for: store.estate.ledger)
        let filter = try DeviceFilter(parsing: "no=national-grid")
        let targets = store.estate.devices.filter { filter.matches($0, in: store.estate.ledger) }.map(\.id)
        guard targets.count >= 2 * scheduled else { throw BenchmarkError("only \(targets.count) National Grid GPFs for 2 × \(scheduled)") }
        let immediate = Array(targets.prefix(scheduled)), later = Array(targets.dropFirst(scheduled).prefix(scheduled))

        // One worker, as the rows measured before bulk used every core, so the ratio compares the same path.
        func handBack(_ devices: [EUI64], _ execution: CommandExecution) throws -> Double {
            try Measure.seconds {
                try BulkLoop.handBack(devices, execution: execution, store: store, credentials: credentials, now: now, workers: 1)
            }.0
        }
        let immediateSeconds = try handBack(immediate, .immediate)
        let scheduleSeconds = try handBack(later, .at(due))
        let (deliverySeconds, report) = try Measure.seconds {
            try store.deliverDueAlerts(now: due.adding(days: 1), credentials: credentials, groupSize: 1000)
        }
        guard report.processed.count == scheduled, report.processed.allSatisfy({ $0.recordedCounter != nil }) else {
            throw BenchmarkError("alert delivery: \(report.summary)")
        }

        // The check every writer makes on open, over the big estate with nothing due, against a plain scan.
        let (checkSeconds, hasWork) = Measure.seconds { estateForScan.hasDueAlertWork(at: now) }
        let (scanSeconds, gpfs) = Measure.seconds { estateForScan.devices.reduce(0) { $0 + ($1.type == .gpf ? 1 : 0) } }
        guard !hasWork, gpfs > 0 else { throw BenchmarkError("the big estate has due work") }
        let total = scheduleSeconds + deliverySeconds
        return [
            ResultRow(name: "scheduled hand-back, \(scheduled) GPFs: acknowledged + alerts delivered",
                      ours: String(format: "%.2f s + %.2f s = %.2f s", scheduleSeconds, deliverySeconds, total),
                      baseline: String(format: "immediate hand-back %.2f s", immediateSeconds),
                      ratio: String(format: "%.2f×", total / immediateSeconds), target: "-"),
            ResultRow(name: "due-work check on every write open, \(estateForScan.devices.count) GPFs",
                      ours: String(format: "%.1f ms", checkSeconds * 1000),
                      baseline: String(format: "counting GPFs %.1f ms", scanSeconds * 1000),
                      ratio: String(format: "%.2f×", checkSeconds / scanSeconds), target: "-"),
        ]
    }
}
