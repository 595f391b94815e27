import AnchorCore
import AnchorPostgres
import AnchorStore
import Foundation
import GPFSimulator
import SMKI

/// The PostgreSQL backend beside the store directory, on the same estate in the same run:
/// creating the store, opening it (the console's first screen waits for this), a filter, one
/// durable request at a time, a bulk hand-back, and writers taking turns.
/// `--only postgresql --postgresql URL` (the password in PGPASSWORD).
enum PostgresBenchmark {
    static func run(base: Ledger, devices: Int, single: Int, bulk: Int, url: String, directory: String) throws -> [ResultRow] {
        let estate = try SyntheticEstate.generate(over: base, count: devices, seed: 21)
        let location = try PostgresLocation(url: url)
        var environment = ProcessInfo.processInfo.environment
        environment["ANCHORDESK_PG_LOCAL"] = directory + "/postgresql-local"
        let postgres = PostgresStore(location: location, environment: environment)
        let json = DirectoryStore(directory: directory + "/postgresql-baseline")
        try? FileManager.default.removeItem(atPath: json.directory)
        try? FileManager.default.removeItem(atPath: postgres.directory)
        var rows: [ResultRow] = []
        func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
        func milliseconds(_ value: Double) -> String { String(format: "%.1f ms", value * 1000) }

        let (createJSON, _) = try Measure.seconds { try json.create(with: estate, replacingExisting: true) }
        let (createPostgres, _) = try Measure.seconds { try postgres.create(with: estate, replacingExisting: true) }
        rows.append(ResultRow(name: "create the store, \(devices) GPFs", ours: seconds(createPostgres), baseline: "directory " + seconds(createJSON),
                              ratio: String(format: "%.2f×", createPostgres / createJSON), target: "-"))

        let (openJSON, _) = try Measure.seconds { try json.open(access: .readOnly).close() }
        let (openWarm, _) = try Measure.seconds { try postgres.open(access: .readOnly).close() }
        try FileManager.default.removeItem(atPath: postgres.directory)
        let (openCold, opened) = try Measure.seconds { try postgres.open(access: .readOnly) }
        rows.append(ResultRow(name: "open to the console's first screen (this machine's copy current)", ours: seconds(openWarm),
                              baseline: "directory " + seconds(openJSON), ratio: String(format: "%.2f×", openWarm / openJSON), target: "≤ 1 s"))
        rows.append(ResultRow(name: "open on a machine with no copy yet (whole snapshot fetched)", ours: seconds(openCold),
                              baseline: "directory " + seconds(openJSON), ratio: String(format: "%.2f×", openCold / openJSON), target: "-"))
        let filter = try DeviceFilter(parsing: "no=cadent")
        let (filterSeconds, matched) = Measure.seconds {
            DeviceIndex(devices: opened.estate.devices, ledger: opened.estate.ledger).positions(matching: filter).count
        }
        rows.append(ResultRow(name: "filter no=cadent (\(matched) GPFs), in memory after the open", ours: milliseconds(filterSeconds),
                              baseline: "the same code on either backend", ratio: "1×", target: "≤ 200 ms"))
        opened.close()

        // One durable request at a time, alternating backends so both see the same moments.
        let credentials = DemoCredentialsCache.credentials(for: estate.ledger)
        let now = Timestamp(secondsSince1970: 1_764_000_000)
        let index = DeviceIndex(devices: estate.devices, ledger: estate.ledger)
        let targets = index.positions(matching: try DeviceFilter(parsing: "no=national-grid")).map { estate.devices.devices[$0] }
        let singleTargets = Array(targets.prefix(single))
        let jsonWriter = try json.open(access: .readWrite(lockTimeout: .seconds(5)))
        let postgresWriter = try postgres.open(access: .readWrite(lockTimeout: .seconds(5)))
        var jsonLatencies: [Double] = []
        var postgresLatencies: [Double] = []
        for (number, device) in singleTargets.enumerated() {
            let request = ServiceRequest.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: "national-grid", device: device.id, replacementCertificates: ["acb-ds", "acb-ka"]))
            for (store, into) in [(jsonWriter, 0), (postgresWriter, 1)] {
                let (elapsed, change) = try Measure.seconds { () throws -> EstateChange in
                    let change = try store.estate.evaluate(request, now: now, credentials: credentials)
                    try store.commit(change)
                    return change
                }
                guard change.ledger.request.outcome == .succeeded else { throw BenchmarkError("request \(number) was rejected") }
                if into == 0 { jsonLatencies.append(elapsed) } else { postgresLatencies.append(elapsed) }
            }
        }
        let p99 = (Measure.percentile(postgresLatencies, 0.99), Measure.percentile(jsonLatencies, 0.99))
        rows.append(ResultRow(name: "one durable SRV6.15.1, p50 / p99 (\(single) requests)",
                              ours: milliseconds(Measure.percentile(postgresLatencies, 0.5)) + " / " + milliseconds(p99.0),
                              baseline: "directory " + milliseconds(Measure.percentile(jsonLatencies, 0.5)) + " / " + milliseconds(p99.1),
                              ratio: String(format: "%.2f× (p99)", p99.0 / p99.1), target: "p99 ≤ 20 ms"))

        // Bulk: the CLI's loop, groups of 1,000, each group one transaction (or one fsync).
        let bulkTargets = Array(targets.dropFirst(single).prefix(bulk).map(\.id))
        let (bulkJSON, _) = try Measure.seconds {
            try BulkLoop.handBack(bulkTargets, store: jsonWriter, credentials: credentials, now: now, workers: Speculation.onePerCore)
        }
        let (bulkPostgres, _) = try Measure.seconds {
            try BulkLoop.handBack(bulkTargets, store: postgresWriter, credentials: credentials, now: now, workers: Speculation.onePerCore)
        }
        rows.append(ResultRow(name: "bulk SRV6.15.1 over \(bulkTargets.count) GPFs", ours: seconds(bulkPostgres), baseline: "directory " + seconds(bulkJSON),
                              ratio: String(format: "%.2f×", bulkPostgres / bulkJSON), target: "100k ≤ 60 s"))
        jsonWriter.close()
        postgresWriter.close()

        rows += try writersTakingTurns(postgres: postgres, json: json, targets: Array(targets.dropFirst(single + bulk)), credentials: credentials, now: now)
        return rows
    }

    /// Writers as operators run them: each opens (taking the writer lock), sends one request,
    /// and closes; 1, 2, 4 and 8 at once for a few seconds each.
    static func writersTakingTurns(postgres: PostgresStore, json: DirectoryStore, targets: [Device], credentials: EstateCredentials,
                                   now: Timestamp) throws -> [ResultRow] {
        var rows: [ResultRow] = []
        let work = Turns(targets)
        func throughput(_ backend: any StoreBackend, writers: Int) -> Double {
            let deadline = Date().addingTimeInterval(5)
            let before = work.completed
            DispatchQueue.concurrentPerform(iterations: writers) { _ in
                while Date() < deadline, let device = work.take() {
                    guard let store = try? backend.open(access: .readWrite(lockTimeout: .seconds(60))) else { continue }
                    let request = ServiceRequest.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                        sender: "national-grid", device: device.id, replacementCertificates: ["acb-ds", "acb-ka"]))
                    if let change = try? store.estate.evaluate(request, now: now, credentials: credentials), (try? store.commit(change)) != nil {
                        work.finished()
                    }
                    store.close()
                }
            }
            return Double(work.completed - before) / 5
        }
        for writers in [1, 2, 4, 8] {
            let ours = throughput(postgres, writers: writers)
            let baseline = throughput(json, writers: writers)
            rows.append(ResultRow(name: "\(writers) writer(s) at once, each open → 1 request → close, 5 s", ours: String(format: "%.1f req/s", ours),
                                  baseline: String(format: "directory %.1f req/s", baseline), ratio: String(format: "%.2f×", ours / max(baseline, 0.001)),
                                  target: "-"))
        }
        return rows
    }
}

/// The devices writers take turns over, and how many requests were committed.
private final class Turns: @unchecked Sendable {
    private let lock = NSLock()
    private var targets: ArraySlice<Device>
    private var done = 0

    init(_ targets: [Device]) {
        self.targets = targets[...]
    }

    func take() -> Device? {
        lock.lock()
        defer { lock.unlock() }
        return targets.popFirst()
    }

    func finished() {
        lock.lock()
        done += 1
        lock.unlock()
    }

    var completed: Int {
        lock.lock()
        defer { lock.unlock() }
        return done
    }
}
