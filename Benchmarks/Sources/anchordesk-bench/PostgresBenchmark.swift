import AnchorCore
import AnchorPostgres
import AnchorService
import AnchorStore
import Foundation
import SMKI

/// The PostgreSQL backend beside the store directory, on the same estate in the same run, both
/// through the DSP's use cases (``EstateService``): creating the store, one durable request at a
/// time, a bulk hand-back, and writers side by side.
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

        let (createJSON, _) = try Measure.seconds { try json.create(with: estate, replacingExisting: true) }
        let (createPostgres, _) = try Measure.seconds { try postgres.create(with: estate, replacingExisting: true) }
        rows.append(ResultRow(name: "create the store, \(devices) GPFs", ours: seconds(createPostgres), baseline: "directory " + seconds(createJSON),
                              ratio: String(format: "%.2f×", createPostgres / createJSON), target: "-"))

        let now = Timestamp(secondsSince1970: 1_764_000_000)
        let rowsStore = DemoKeyedStore(PostgresEstateStore(postgres))
        let directoryStore = DemoKeyedStore(BackendEstateStore(json))
        func service(_ store: any EstateStore) -> EstateService {
            EstateService(store: store, clock: .fixed(now), settings: ServiceSettings(lockTimeout: .seconds(60), groupSize: 1000))
        }
        let index = DeviceIndex(devices: estate.devices, ledger: estate.ledger)
        let targets = index.positions(matching: try DeviceFilter(parsing: "no=national-grid")).map { estate.devices[$0].id }

        // One durable request at a time in one open session, alternating backends so both see the same moments.
        let sessions = (try service(directoryStore).openSession(), try service(rowsStore).openSession())
        var latencies: ([Double], [Double]) = ([], [])
        for device in targets.prefix(single) {
            for (session, intoRows) in [(sessions.0, false), (sessions.1, true)] {
                let (elapsed, submission) = try Measure.seconds { try session.submit(handBack(device)) }
                guard submission.record.outcome == .succeeded else { throw BenchmarkError("a request was rejected: \(submission.record.detail)") }
                if intoRows { latencies.1.append(elapsed) } else { latencies.0.append(elapsed) }
            }
        }
        let p99 = (Measure.percentile(latencies.1, 0.99), Measure.percentile(latencies.0, 0.99))
        rows.append(ResultRow(name: "one durable SRV6.15.1 in an open session, p50 / p99 (\(single) requests)",
                              ours: milliseconds(Measure.percentile(latencies.1, 0.5)) + " / " + milliseconds(p99.0),
                              baseline: "directory " + milliseconds(Measure.percentile(latencies.0, 0.5)) + " / " + milliseconds(p99.1),
                              ratio: String(format: "%.2f× (p99)", p99.0 / p99.1), target: "-"))

        // Bulk: the use case every bulk command runs, groups of 1,000, each one transaction (or one fsync).
        let bulkTargets = Array(targets.dropFirst(single).prefix(bulk))
        let bulkDirectory = try Measure.seconds { try bulkHandBack(bulkTargets, in: sessions.0) }.0
        let bulkRows = try Measure.seconds { try bulkHandBack(bulkTargets, in: sessions.1) }.0
        rows.append(ResultRow(name: "bulk SRV6.15.1 over \(bulkTargets.count) GPFs", ours: seconds(bulkRows), baseline: "directory " + seconds(bulkDirectory),
                              ratio: String(format: "%.2f×", bulkRows / bulkDirectory), target: "≤ 1.5×"))
        sessions.0.close()
        sessions.1.close()

        let rest = Turns(Array(targets.dropFirst(single + bulk)))
        var perSecond: [Int: (Double, Double)] = [:]
        for writers in [1, 2, 4, 8] {
            let ours = throughput(service(rowsStore), writers: writers, over: rest)
            let baseline = throughput(service(directoryStore), writers: writers, over: rest)
            perSecond[writers] = (ours, baseline)
            rows.append(ResultRow(name: "\(writers) writer(s) at once, each open → 1 request → close, 5 s",
                                  ours: String(format: "%.1f req/s (%.2f× of 1)", ours, ours / max(perSecond[1]!.0, 0.001)),
                                  baseline: String(format: "directory %.1f req/s (%.2f× of 1)", baseline, baseline / max(perSecond[1]!.1, 0.001)),
                                  ratio: String(format: "%.2f×", ours / max(baseline, 0.001)), target: writers == 2 ? "≥ 1.6× of 1" : "-"))
        }
        return rows
    }

    /// National Grid hands a device back.
    static func handBack(_ device: EUI64) -> (Ledger) throws(RequestError) -> ServiceRequest {
        { _ throws(RequestError) in
            .updateSecurityCredentials(UpdateSecurityCredentialsRequest(sender: "national-grid", device: device,
                                                                        replacementCertificates: ["acb-ds", "acb-ka"]))
        }
    }

    /// The bulk use case over `devices`; every request must succeed.
    static func bulkHandBack(_ devices: [EUI64], in session: ServiceSession) throws {
        guard let national = session.estate.ledger.organisation("national-grid") else { throw BenchmarkError("no national-grid") }
        let result = try session.bulk(devices, signer: national, request: { device in
            .updateSecurityCredentials(UpdateSecurityCredentialsRequest(sender: "national-grid", device: device,
                                                                        replacementCertificates: ["acb-ds", "acb-ka"]))
        })
        if let failure = result.failure { throw BenchmarkError("bulk stopped: \(failure)") }
        guard result.tally.succeeded == devices.count else { throw BenchmarkError("bulk: \(result.tally.rejected) rejected") }
    }

    /// Requests a second by `writers` threads at once for five seconds, each opening a session,
    /// submitting one request and closing, as operators' commands do.
    static func throughput(_ service: EstateService, writers: Int, over work: Turns) -> Double {
        let deadline = Date().addingTimeInterval(5)
        let before = work.completed
        DispatchQueue.concurrentPerform(iterations: writers) { _ in
            while Date() < deadline, let device = work.take() {
                guard let session = try? service.openSession(processingDueAlerts: false) else { continue }
                if let submission = try? session.submit(handBack(device)), submission.record.outcome == .succeeded { work.finished() }
                session.close()
            }
        }
        return Double(work.completed - before) / 5
    }

    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
    static func milliseconds(_ value: Double) -> String { String(format: "%.1f ms", value * 1000) }
}

/// A store whose Users' keys are the demo's, derived from the ledger (no key files): the same
/// signing and MAC work as real keys, for the benchmark's synthetic estates.
struct DemoKeyedStore: EstateStore {
    let inner: any EstateStore

    init(_ inner: any EstateStore) {
        self.inner = inner
    }

    var shown: String { inner.shown }
    var keyDirectory: String { inner.keyDirectory }
    var paging: (any DevicePaging)? { inner.paging }

    func changeToken() -> String { inner.changeToken() }

    func withStoreFiles<Value>(_ read: (String) throws -> Value) throws -> Value {
        try inner.withStoreFiles(read)
    }

    func openWriter(lockTimeout: Duration) throws(StoreError) -> any EstateWriter {
        try inner.openWriter(lockTimeout: lockTimeout)
    }

    func credentials(for ledger: Ledger, userKeys: String?, validFrom: Date) throws(StoreError) -> EstateCredentials {
        DemoCredentialsCache.credentials(for: ledger)
    }

    func readForReport(
        _ scope: ReportScope, warn: (String) -> Void, proceed: (Ledger) -> Bool, _ part: (ReportPart) -> Void
    ) throws(StoreError) {
        try inner.readForReport(scope, warn: warn, proceed: proceed, part)
    }
}

/// The devices writers take turns over, and how many requests were committed.
final class Turns: @unchecked Sendable {
    private let lock = NSLock()
    private var targets: ArraySlice<EUI64>
    private var done = 0

    init(_ targets: [EUI64]) {
        self.targets = targets[...]
    }

    func take() -> EUI64? {
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
