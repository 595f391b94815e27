import AnchorCore
import AnchorStore
import GPFSimulator
import SMKI

/// The CLI's bulk loop without its output: National Grid hands the devices back in groups of
/// 1,000, each group evaluated on `workers` threads, applied in order and made durable with one
/// fsync, with the prefetcher running ahead as in `anchordesk bulk`.
enum BulkLoop {
    /// Runs it; returns each change's journal payload when asked (for the storage-only baselines).
    /// - Throws: when the store fails, or a device refuses (acknowledging a future-dated one is fine).
    @discardableResult
    static func handBack(
        _ devices: [EUI64], execution: CommandExecution = .immediate, store: Store, credentials: EstateCredentials,
        now: Timestamp, workers: Int, keepPayloads: Bool = false
    ) throws -> [[UInt8]] {
        func request(_ device: EUI64) -> ServiceRequest {
            .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: "national-grid", device: device, replacementCertificates: ["acb-ds", "acb-ka"], execution: execution))
        }
        let prefetcher = WirePrefetcher.start(for: devices, in: store.estate, credentials: credentials, groupSize: 1000, request: request)
        defer { prefetcher?.stop() }
        var payloads: [[UInt8]] = []
        for start in stride(from: 0, to: devices.count, by: 1000) {
            let group = devices[start..<min(start + 1000, devices.count)]
            try Speculation.stageInOrder(group.map(request), estate: { store.estate }, now: now, credentials: credentials,
                                         workers: workers) { change in
                guard change.ledger.request.outcome != .rejected else {
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
