import AnchorCore
import AnchorStore
import GPFSimulator
import SMKI

/// The CLI's bulk loop without its output: National Grid hands the devices back in groups of
/// 1,000, each group evaluated on `workers` threads, applied in order and made durable with one
/// fsync, with the prefetcher running ahead as in `anchordesk bulk`.
enum BulkLoop {
    /// Runs it; returns each change's journal payload when asked (for the storage-only baselines).
    @discardableResult
    static func handBack(
        _ devices: [EUI64], store: Store, credentials: EstateCredentials, now: Timestamp, workers: Int, keepPayloads: Bool = false
    ) throws -> [[UInt8]] {
        func request(_ device: EUI64) -> ServiceRequest {
            .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: "national-grid", device: device, replacementCertificates: ["acb-ds", "acb-ka"]))
        }
        let prefetcher = WirePrefetcher.start(for: devices, in: store.estate, credentials: credentials, groupSize: 1000, request: request)
        defer { prefetcher?.stop() }
        var payloads: [[UInt8]] = []
        for start in stride(from: 0, to: devices.count, by: 1000) {
            let group = devices[start..<min(start + 1000, devices.count)]
            for speculation in store.estate.speculate(group.map(request), now: now, credentials: credentials, workers: workers) {
                let change = try speculation.change(against: store.estate, now: now, credentials: credentials)
                guard change.ledger.request.outcome == .succeeded else {
                    throw BenchmarkError("a hand-back was rejected: \(change.ledger.request.detail)")
                }
                try store.stage(change)
                if keepPayloads { payloads.append(Store.journalPayload(for: change, sequence: UInt64(payloads.count))) }
            }
            try store.flush()
            prefetcher?.finishedGroup()
        }
        return payloads
    }
}
