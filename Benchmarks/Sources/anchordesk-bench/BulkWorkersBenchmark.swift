import AnchorCore
import AnchorStore
import Foundation
import GPFSimulator
import SMKI

/// The same bulk hand-back with one worker and with one per core, each on a fresh store made
/// from the same estate, alternated twice so both see the same moments of a noisy machine.
enum BulkWorkersBenchmark {
    static func run(base: Ledger, bulk: Int, directory: String) throws -> [ResultRow] {
        // A synthetic estate gives National Grid about 30 % of its GPFs.
        let estate = try SyntheticEstate.generate(over: base, count: max(4 * bulk, 2000), seed: 15)
        let nationalGrid = try DeviceFilter(parsing: "no=national-grid")
        let index = DeviceIndex(devices: estate.devices, ledger: estate.ledger)
        let targets = Array(index.positions(matching: nationalGrid).prefix(bulk).map { estate.devices[$0].id })
        let credentials = DemoCredentialsCache.credentials(for: estate.ledger)
        let now = Timestamp(secondsSince1970: 1_764_000_000)
        let cores = Speculation.onePerCore

        func timed(workers: Int) throws -> Double {
            let path = directory + "/workers-\(workers)"
            try? FileManager.default.removeItem(atPath: path)
            try Store.create(at: path, with: estate, replacingExisting: true)
            let store = try Store.open(at: path, access: .readWrite(lockTimeout: .seconds(5)))
            defer { store.close() }
            let (seconds, _) = try Measure.seconds {
                try BulkLoop.handBack(targets, store: store, credentials: credentials, now: now, workers: workers)
            }
            return seconds
        }
        var one: [Double] = []
        var all: [Double] = []
        for _ in 0..<2 {
            one.append(try timed(workers: 1))
            all.append(try timed(workers: cores))
        }
        let best = (one: one.min()!, all: all.min()!)
        func rate(_ seconds: Double) -> String { String(format: "%.2f s, %.0f /s", seconds, Double(targets.count) / seconds) }
        return [
            ResultRow(name: "bulk SRV6.15.1, \(targets.count) GPFs, \(cores) workers against 1 (best of 2 each)",
                      ours: rate(best.all), baseline: "1 worker " + rate(best.one),
                      ratio: String(format: "%.2f×", best.one / best.all), target: "100k ≤ 8 s"),
        ]
    }
}
