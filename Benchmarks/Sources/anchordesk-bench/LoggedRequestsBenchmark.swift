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

        // Each open in a fresh process, alternating, so time and peak memory are the open's own.
        var none: [FreshProcessOpen] = [], many: [FreshProcessOpen] = []
        for _ in 0..<3 {
            none.append(try FreshProcessOpen.run(empty))
            many.append(try FreshProcessOpen.run(full))
        }
        let store = try Store.open(at: full, access: .readOnly)
        defer { store.close() }
        guard store.estate.ledger.requests.count == logged else {
            throw BenchmarkError("opened \(store.estate.ledger.requests.count) requests, wrote \(logged)")
        }
        // What opening cost before the log stayed on disk: every row read into memory.
        let (eagerSeconds, eagerRows) = Measure.seconds { Array(store.estate.ledger.requests).count + Array(store.auditTrail).count }
        guard eagerRows == 2 * logged else { throw BenchmarkError("read \(eagerRows) rows, wrote \(2 * logged)") }
        let (verifySeconds, report) = try Measure.seconds { try AuditVerifier.verify(directory: full) }
        guard report.entries == logged else { throw BenchmarkError("audit verify checked \(report.entries) entries") }
        let device = estate.devices[count / 2].id
        let (logSeconds, log) = Measure.seconds { store.estate.ledger.requests(for: device) }
        guard !log.isEmpty, log.allSatisfy({ $0.device == device }) else { throw BenchmarkError("device \(device) has no requests") }
        let unused = "\(log[0].requestId)0"
        let (duplicateSeconds, used) = Measure.seconds { (store.estate.ledger.hasUsed(requestId: log[0].requestId), store.estate.ledger.hasUsed(requestId: unused)) }
        guard used == (true, false) else { throw BenchmarkError("the Request ID check answered \(used)") }
        let bestNone = none.min { $0.seconds < $1.seconds }!, bestMany = many.min { $0.seconds < $1.seconds }!
        let peakNone = none.map(\.peakMiB).max()!, peakMany = many.map(\.peakMiB).max()!
        return [
            ResultRow(name: "write \(logged) logged requests (journal + audit chain, then compaction)",
                      ours: String(format: "%.1f s", writeSeconds), baseline: "-", ratio: "-", target: "-"),
            ResultRow(name: "open \(count) GPFs with \(logged) logged requests, fresh process (best of 3)",
                      ours: String(format: "%.2f s", bestMany.seconds), baseline: String(format: "none logged %.2f s", bestNone.seconds),
                      ratio: String(format: "%.2f×", bestMany.seconds / bestNone.seconds), target: "≤ 1.10×"),
            ResultRow(name: "peak memory of that open",
                      ours: String(format: "%.0f MiB", peakMany), baseline: String(format: "none logged %.0f MiB", peakNone),
                      ratio: String(format: "%.2f×", peakMany / peakNone), target: "≤ 1.10×"),
            ResultRow(name: "lazy log: every row read after open (the eager open's extra work)",
                      ours: String(format: "open %.2f s", bestMany.seconds), baseline: String(format: "+ %.2f s to read all", eagerSeconds),
                      ratio: "-", target: "-"),
            ResultRow(name: "audit verify, \(logged) entries", ours: String(format: "%.2f s", verifySeconds),
                      baseline: "-", ratio: "-", target: "1M ≤ 5 s"),
            ResultRow(name: "one device's log (\(log.count) of \(logged) requests, through the index)",
                      ours: String(format: "%.2f ms", logSeconds * 1000), baseline: "-", ratio: "-", target: "≤ 50 ms"),
            ResultRow(name: "Request ID used? (one used, one not)", ours: String(format: "%.3f ms", duplicateSeconds * 1000),
                      baseline: "-", ratio: "-", target: "-"),
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
            let device = estate.devices[number % estate.devices.count].id
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
