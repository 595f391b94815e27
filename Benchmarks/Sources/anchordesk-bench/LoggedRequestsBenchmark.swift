import AnchorCore
import AnchorStore
import Foundation

/// A store with many logged requests against the same estate with none: how opening, verifying
/// the audit trail and reading one device's log scale with the log (issue 15, items 2 and 3).
/// The requests are written through the store (journal, audit chain, compaction) but decided
/// without the engine, so making a million takes seconds, not the P-256 work of a real run.
enum LoggedRequestsBenchmark {
    static func run(base: Ledger, devices count: Int, logged: Int, directory: String) throws -> [ResultRow] {
        let estate = try SyntheticEstate.generate(over: base, count: count, seed: 3)
        let empty = directory + "/logged-none", full = directory + "/logged-\(logged)"
        for path in [empty, full] {
            try? FileManager.default.removeItem(atPath: path)
            try Store.create(at: path, with: estate, replacingExisting: true)
        }
        let (writeSeconds, _) = try Measure.seconds { try writeRequests(logged, over: estate, to: full) }

        func open(_ path: String) throws -> (Double, Int) {
            let (seconds, store) = try Measure.seconds { try Store.open(at: path, access: .readOnly) }
            defer { store.close() }
            return (seconds, store.estate.ledger.requests.count)
        }
        var none: [Double] = [], many: [Double] = []
        for _ in 0..<3 {
            none.append(try open(empty).0)
            let (seconds, requests) = try open(full)
            guard requests == logged else { throw BenchmarkError("opened \(requests) requests, wrote \(logged)") }
            many.append(seconds)
        }
        let (verifySeconds, report) = try Measure.seconds { try AuditVerifier.verify(directory: full) }
        guard report.entries == logged else { throw BenchmarkError("audit verify checked \(report.entries) entries") }
        let store = try Store.open(at: full, access: .readOnly)
        defer { store.close() }
        let device = estate.devices.devices[count / 2].id
        let (logSeconds, log) = Measure.seconds { store.estate.ledger.requests(for: device) }
        guard !log.isEmpty else { throw BenchmarkError("device \(device) has no requests") }
        let ratio = many.min()! / none.min()!
        return [
            ResultRow(name: "write \(logged) logged requests (journal + audit chain, then compaction)",
                      ours: String(format: "%.1f s", writeSeconds), baseline: "-", ratio: "-", target: "-"),
            ResultRow(name: "open \(count) GPFs with \(logged) logged requests (best of 3)",
                      ours: String(format: "%.2f s", many.min()!), baseline: String(format: "none logged %.2f s", none.min()!),
                      ratio: String(format: "%.2f×", ratio), target: "≤ 1.10×"),
            ResultRow(name: "audit verify, \(logged) entries", ours: String(format: "%.2f s", verifySeconds),
                      baseline: "-", ratio: "-", target: "1M ≤ 5 s"),
            ResultRow(name: "one device's log (\(log.count) of \(logged) requests)", ours: String(format: "%.1f ms", logSeconds * 1000),
                      baseline: "-", ratio: "-", target: "≤ 50 ms"),
        ]
    }

    /// `count` refused SRV6.15.1 requests from National Grid, cycling over the devices, staged
    /// and flushed 10,000 at a time, then folded into the snapshot.
    private static func writeRequests(_ count: Int, over estate: Estate, to path: String) throws {
        let store = try Store.open(at: path, access: .readWrite(lockTimeout: .seconds(5)))
        defer { store.close() }
        guard let sender = estate.ledger.organisation("national-grid") else { throw BenchmarkError("no national-grid") }
        let at = Timestamp(secondsSince1970: 1_764_000_000)
        for number in 0..<count {
            let device = estate.devices.devices[number % estate.devices.count].id
            let counter = OriginatorCounter(sender.lastCounter.value + UInt64(number) + 1)
            let record = RequestRecord(
                requestId: RequestEngine.requestId(originator: sender.entityId, device: device, counter: counter),
                service: .updateSecurityCredentials, device: device, requester: sender.id, originator: sender.id,
                originatorCounter: counter, outcome: .rejected, reason: .notAuthorised,
                detail: "the Network Operator cell does not hold national-grid's certificate",
                recordedCounter: nil, deviceFloor: nil, generatedCounter: nil, storedCounter: nil, legacyCounters: nil,
                certificates: ["acb-ds", "acb-ka"], at: at)
            try store.stage(EstateChange(ledger: LedgerChange(request: record, organisationCounters: [sender.id: counter], recorded: nil), device: nil))
            if number % 10_000 == 9_999 { try store.flush() }
        }
        try store.flush()
        try store.compact()
    }
}
