import AnchorCore
import AnchorStore
import Foundation
import GPFSimulator
import GRDB
import SMKI

/// Durable requests: the store's journal (one fsync per request, or per group) against the
/// same record bytes written to SQLite through GRDB (WAL, synchronous=FULL).
enum DurabilityBenchmark {
    /// Requests cycling over the given devices: hand-back, handover, hand-back by Cadent, handover...
    static func request(number: Int, devices: [Device]) -> ServiceRequest {
        let device = devices[number % devices.count]
        let round = number / devices.count
        return round % 2 == 0
            ? .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: round == 0 ? "national-grid" : "cadent", device: device.id, replacementCertificates: ["acb-ds", "acb-ka"]))
            : .requestHandover(HandoverRequest(supplier: device.supplier, device: device.id, networkOperator: "cadent"))
    }

    static func run(storeDirectory: String, sqlitePath: String, single: Int, bulk: Int) throws -> [ResultRow] {
        let now = Timestamp(secondsSince1970: 1_764_000_000)
        let store = try Store.open(at: storeDirectory, access: .readWrite(lockTimeout: .seconds(5)))
        defer { store.close() }
        let nationalGrid = try DeviceFilter(parsing: "no=national-grid")
        let credentials = DemoCredentialsCache.credentials(for: store.estate.ledger)
        let index = DeviceIndex(devices: store.estate.devices, ledger: store.estate.ledger)
        let targets = index.positions(matching: nationalGrid).map { store.estate.devices[$0] }
        let singleTargets = Array(targets.prefix(500))

        // The baseline: the same record bytes into SQLite.
        try? FileManager.default.removeItem(atPath: sqlitePath)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let queue = try DatabaseQueue(path: sqlitePath, configuration: configuration)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE journal (sequence INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        }
        // One durable request at a time: evaluate, journal, fsync; then the same record into
        // SQLite, alternating so both see the same moment of this noisy machine.
        var ourLatencies: [Double] = []
        var sqliteLatencies: [Double] = []
        var storageLatencies: [Double] = []
        let singleJournalPath = storeDirectory + "/journal-single.jsonl"
        try? FileManager.default.removeItem(atPath: singleJournalPath)
        let singleJournal = try JournalFile.openForAppend(path: singleJournalPath)
        defer {
            singleJournal.close()
            try? FileManager.default.removeItem(atPath: singleJournalPath)
        }
        for number in 0..<single {
            let (seconds, change) = try Measure.seconds { () throws -> EstateChange in
                let change = try store.estate.evaluate(request(number: number, devices: singleTargets), now: now, credentials: credentials)
                try store.commit(change)
                return change
            }
            guard change.ledger.request.outcome == .succeeded else { throw BenchmarkError("request \(number) was rejected: \(change.ledger.request.detail)") }
            ourLatencies.append(seconds * 1e6)
            let payload = Data(Store.journalPayload(for: change, sequence: UInt64(number + 1)))
            let (sqliteSeconds, _) = try Measure.seconds {
                try queue.write { db in
                    try db.execute(sql: "INSERT INTO journal (sequence, payload) VALUES (?, ?)", arguments: [number, payload])
                }
            }
            sqliteLatencies.append(sqliteSeconds * 1e6)
            let (storageSeconds, _) = try Measure.seconds { try singleJournal.append([[UInt8](payload)]) }
            storageLatencies.append(storageSeconds * 1e6)
        }

        // Bulk: group commit of 1,000 per fsync over devices not touched above.
        let bulkTargets = Array(targets.dropFirst(500).prefix(bulk))
        let (ourBulkSeconds, bulkPayloads) = try Measure.seconds {
            try BulkLoop.handBack(bulkTargets.map(\.id), store: store, credentials: credentials, now: now,
                                  workers: Speculation.onePerCore, keepPayloads: true)
        }

        let (sqliteBulkSeconds, _) = try Measure.seconds {
            for start in stride(from: 0, to: bulkPayloads.count, by: 1000) {
                try queue.write { db in
                    for offset in start..<min(start + 1000, bulkPayloads.count) {
                        try db.execute(sql: "INSERT INTO journal (sequence, payload) VALUES (?, ?)",
                                       arguments: [single + offset, Data(bulkPayloads[offset])])
                    }
                }
            }
        }

        // The storage layer alone, same bytes and grouping as SQLite's batches: no engine work.
        let journalOnlyPath = storeDirectory + "/journal-only.jsonl"
        try? FileManager.default.removeItem(atPath: journalOnlyPath)
        let journalOnly = try JournalFile.openForAppend(path: journalOnlyPath)
        let (journalOnlySeconds, _) = try Measure.seconds {
            for start in stride(from: 0, to: bulkPayloads.count, by: 1000) {
                try journalOnly.append(Array(bulkPayloads[start..<min(start + 1000, bulkPayloads.count)]))
            }
        }
        journalOnly.close()
        try? FileManager.default.removeItem(atPath: journalOnlyPath)

        let ourP50 = Measure.percentile(ourLatencies, 0.5), ourP99 = Measure.percentile(ourLatencies, 0.99)
        let sqlP50 = Measure.percentile(sqliteLatencies, 0.5), sqlP99 = Measure.percentile(sqliteLatencies, 0.99)
        let storageP50 = Measure.percentile(storageLatencies, 0.5), storageP99 = Measure.percentile(storageLatencies, 0.99)
        let ourThroughput = Double(single) / (ourLatencies.reduce(0, +) / 1e6)
        let sqlThroughput = Double(single) / (sqliteLatencies.reduce(0, +) / 1e6)
        return [
            ResultRow(name: "one durable request, p50 / p99 (\(single) requests)",
                      ours: String(format: "%.0f / %.0f µs", ourP50, ourP99),
                      baseline: String(format: "SQLite insert %.0f / %.0f µs", sqlP50, sqlP99),
                      ratio: String(format: "p99 %.2f×", sqlP99 / ourP99), target: "p99 ≤ 5 ms"),
            ResultRow(name: "same record, storage only, p50 / p99",
                      ours: String(format: "journal %.0f / %.0f µs", storageP50, storageP99),
                      baseline: String(format: "SQLite insert %.0f / %.0f µs", sqlP50, sqlP99),
                      ratio: String(format: "p50 %.2f×", sqlP50 / storageP50), target: "≥ 1×"),
            ResultRow(name: "durable requests per second, one fsync each",
                      ours: String(format: "%.0f /s (engine included)", ourThroughput),
                      baseline: String(format: "SQLite %.0f /s (insert only)", sqlThroughput),
                      ratio: String(format: "%.2f×", ourThroughput / sqlThroughput), target: "≥ 1×, aim 3×"),
            ResultRow(name: "bulk SRV6.15.1, \(bulkTargets.count) GPFs, groups of 1,000",
                      ours: String(format: "%.2f s, %.0f /s", ourBulkSeconds, Double(bulkTargets.count) / ourBulkSeconds),
                      baseline: String(format: "SQLite batched %.2f s, %.0f /s", sqliteBulkSeconds, Double(bulkTargets.count) / sqliteBulkSeconds),
                      ratio: String(format: "%.2f×", sqliteBulkSeconds / ourBulkSeconds), target: "100k ≤ 30 s"),
            ResultRow(name: "same \(bulkPayloads.count) records, storage only, 1,000 per fsync",
                      ours: String(format: "journal %.2f s, %.0f /s", journalOnlySeconds, Double(bulkPayloads.count) / journalOnlySeconds),
                      baseline: String(format: "SQLite batched %.2f s", sqliteBulkSeconds),
                      ratio: String(format: "%.2f×", sqliteBulkSeconds / journalOnlySeconds), target: "≥ 1×"),
        ]
    }
}
