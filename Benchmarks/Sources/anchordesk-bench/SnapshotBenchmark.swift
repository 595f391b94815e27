import AnchorCore
import AnchorStore
import Foundation

/// Snapshot save and load: the store's own codec against Foundation's JSONEncoder/JSONDecoder
/// on the same logical data (the same devices, organisations, certificates and log).
enum SnapshotBenchmark {
    /// The estate as Foundation's `Codable` sees it.
    struct FoundationSnapshot: Codable {
        var organisations: [Organisation]
        var certificates: [Certificate]
        var devices: [Device]
        var recordedCounters: [String: OriginatorCounter]
        var counterHistory: [String: [CounterHistoryEntry]]
        var requests: [RequestRecord]

        init(_ estate: Estate) {
            organisations = estate.ledger.organisations
            certificates = estate.ledger.certificates
            devices = Array(estate.devices)
            recordedCounters = Dictionary(uniqueKeysWithValues: estate.ledger.recordedCounters.map { ($0.device.description, $0.counter) })
            counterHistory = Dictionary(uniqueKeysWithValues: estate.ledger.counterHistory.map { ($0.device.description, $0.entries) })
            requests = Array(estate.ledger.requests)
        }

        var estate: Estate {
            Estate(ledger: Ledger(organisations: organisations, certificates: certificates,
                                  recordedCounters: RecordedCounters(Dictionary(uniqueKeysWithValues: recordedCounters.map { (EUI64($0.key)!, $0.value) })),
                                  counterHistory: CounterHistories(Dictionary(uniqueKeysWithValues: counterHistory.map { (EUI64($0.key)!, $0.value) })),
                                  requests: requests),
                   devices: DeviceTable(devices))
        }
    }

    static func run(estate: Estate, directory: String) throws -> [ResultRow] {
        let ours = directory + "/ours"
        try? FileManager.default.removeItem(atPath: ours)
        try Store.create(at: ours, with: estate, replacingExisting: true)
        // Save as the store does it in use: compaction (encode, write, fsync, rename, directory fsync).
        let writer = try Store.open(at: ours, access: .readWrite(lockTimeout: .seconds(5)))
        let (saveOurs, _) = try Measure.seconds { try writer.compact() }
        writer.close()
        let (loadOurs, loaded) = try Measure.seconds { try Store.open(at: ours, access: .readOnly).estate }
        guard loaded == estate else { throw BenchmarkError("the store's snapshot did not load back equal") }
        let oursSize = (try FileManager.default.attributesOfItem(atPath: ours + "/snapshot.json")[.size] as? Int) ?? 0

        let foundationPath = directory + "/foundation.json"
        let (saveFoundation, _) = try Measure.seconds {
            let data = try JSONEncoder().encode(FoundationSnapshot(estate))
            try data.write(to: URL(fileURLWithPath: foundationPath))
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: foundationPath))
            try handle.synchronize()
            try handle.close()
        }
        let (loadFoundation, foundationEstate) = try Measure.seconds {
            try JSONDecoder().decode(FoundationSnapshot.self, from: Data(contentsOf: URL(fileURLWithPath: foundationPath))).estate
        }
        guard foundationEstate == estate else { throw BenchmarkError("Foundation's snapshot did not load back equal") }
        let foundationSize = (try FileManager.default.attributesOfItem(atPath: foundationPath)[.size] as? Int) ?? 0
        let devices = estate.devices.count
        return [
            ResultRow(name: "snapshot save, \(devices) GPFs (encode+write+fsync)", ours: String(format: "%.2f s (%d MB)", saveOurs, oursSize >> 20),
                      baseline: String(format: "Foundation %.2f s (%d MB)", saveFoundation, foundationSize >> 20),
                      ratio: String(format: "%.1f× faster", saveFoundation / saveOurs), target: "≥ 10×"),
            ResultRow(name: "snapshot load, \(devices) GPFs (read+decode+index)", ours: String(format: "%.2f s", loadOurs),
                      baseline: String(format: "Foundation %.2f s", loadFoundation),
                      ratio: String(format: "%.1f× faster", loadFoundation / loadOurs), target: "≥ 10×, ≤ 1 s"),
        ]
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
