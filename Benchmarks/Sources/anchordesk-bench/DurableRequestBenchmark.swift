import AnchorCore
import AnchorStore
import Foundation
import GPFSimulator

/// One durable request, end to end: validate, simulate, journal, fsync.
///
/// Cycles the demo's National Grid devices through hand-back (SRV6.15.1 → ACB) and handover
/// (SRV6.21 → Cadent) so every request reaches a device and succeeds. In the same run it times
/// the journal append + fsync alone, with payloads of the same size, as the baseline cost.
enum DurableRequestBenchmark {
    struct Result {
        var requestMicroseconds: [Double]
        var fsyncOnlyMicroseconds: [Double]
        var succeeded: Int
    }

    static func run(demoData: String, directory: String, requests: Int) throws -> Result {
        try Store.create(at: directory, with: try DemoData.load(from: demoData), replacingExisting: true)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        defer { store.close() }
        let filter = try DeviceFilter(parsing: "no=national-grid")
        let devices = store.estate.devices.devices.filter { filter.matches($0, in: store.estate.ledger) }
        let now = Timestamp(secondsSince1970: 1_764_000_000)
        var timings: [Double] = []
        var succeeded = 0
        var payloadSize = 0
        for index in 0..<requests {
            let device = devices[index % devices.count]
            let round = index / devices.count
            let request: ServiceRequest = round % 2 == 0
                ? .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                    sender: round == 0 ? "national-grid" : "cadent", device: device.id, replacementCertificates: ["acb-ds", "acb-ka"]))
                : .requestHandover(HandoverRequest(supplier: device.supplier, device: device.id, networkOperator: "cadent"))
            let start = ContinuousClock.now
            let change = try store.estate.evaluate(request, now: now)
            try store.commit(change)
            timings.append(microseconds(since: start))
            if change.ledger.request.outcome == .succeeded { succeeded += 1 }
            payloadSize = max(payloadSize, (try? JSONEncoder().encode(change).count) ?? 0)
        }
        let baselinePath = directory + "/fsync-baseline.jsonl"
        let baseline = try JournalFile.openForAppend(path: baselinePath)
        defer { baseline.close() }
        let payload = Array("{\"padding\":\"\(String(repeating: "x", count: max(0, payloadSize - 14)))\"}".utf8)
        var fsyncTimings: [Double] = []
        for _ in 0..<requests {
            let start = ContinuousClock.now
            try baseline.append([payload])
            fsyncTimings.append(microseconds(since: start))
        }
        return Result(requestMicroseconds: timings, fsyncOnlyMicroseconds: fsyncTimings, succeeded: succeeded)
    }

    static func microseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
    }
}
