import AnchorCore
import AnchorStore
import Foundation
import GRDB

/// Open, first screen, filter, memory and reports on an estate of a given size (issue 15, items
/// 1, 3 and 5), against the same devices in SQLite through GRDB, indexed, in the same run.
///
/// The store and the SQLite file are made once per size under `directory` and reused by later
/// runs (making ten million takes minutes); every figure is measured afresh.
enum EstateScaleBenchmark {
    static let filter = "no=cadent"

    static func run(base: Ledger, devices count: Int, directory: String) throws -> [ResultRow] {
        let store = directory + "/scale-\(count)", sqlite = directory + "/scale-\(count).sqlite"
        if !Store.exists(at: store) || !FileManager.default.fileExists(atPath: sqlite) {
            try? FileManager.default.removeItem(atPath: store)
            try? FileManager.default.removeItem(atPath: sqlite)
            let estate = try SyntheticEstate.generate(over: base, count: count, seed: 1)
            try Store.create(at: store, with: estate, replacingExisting: true)
            try SQLiteEstate.write(estate, to: sqlite)
        }
        var opens: [FreshProcessOpen] = [], sqliteOpens: [SQLiteEstate.FirstQuery] = []
        for _ in 0..<2 {
            opens.append(try FreshProcessOpen.run(store))
            sqliteOpens.append(try SQLiteEstate.FirstQuery.run(sqlite))
        }
        let open = opens.min { $0.seconds < $1.seconds }!, sqliteOpen = sqliteOpens.min { $0.firstQuerySeconds < $1.firstQuerySeconds }!
        let (previewSeconds, preview) = Measure.seconds { StorePreview.read(directory: store, devices: 500) }
        guard preview?.deviceCount == count else { throw BenchmarkError("the preview of \(store) did not read") }

        let opened = try Store.open(at: store, access: .readOnly)
        defer { opened.close() }
        let estate = opened.estate
        let index = DeviceIndex(devices: estate.devices, ledger: estate.ledger)
        let parsed = try DeviceFilter(parsing: filter)
        let filterTimes = (0..<5).map { _ in Measure.seconds { index.positions(matching: parsed) } }
        let matches = filterTimes[0].1.count
        guard matches == sqliteOpen.matches else { throw BenchmarkError("'\(filter)': \(matches) devices here, \(sqliteOpen.matches) in SQLite") }
        let asOf = Timestamp(secondsSince1970: 1_900_000_000)
        // Streamed, as the CLI writes JSON and CSV: each row made, counted and dropped.
        var postRows = 0, riskRows = 0
        let (postSeconds, _) = Measure.seconds { PostCommissioningReport.rows(estate: estate, asOf: asOf) { _ in postRows += 1 } }
        let (riskSeconds, _) = Measure.seconds { CounterRiskReport.rows(estate: estate) { _ in riskRows += 1 } }
        let filterMilliseconds = Measure.percentile(filterTimes.map { $0.0 * 1000 }, 0.5)
        return [
            ResultRow(name: "\(count) GPFs: first screen (the head of the snapshot)", ours: String(format: "%.3f s", previewSeconds),
                      baseline: String(format: "SQLite open + first page %.3f s", sqliteOpen.firstQuerySeconds),
                      ratio: String(format: "%.2f×", previewSeconds / sqliteOpen.firstQuerySeconds), target: "≤ 1 s"),
            ResultRow(name: "\(count) GPFs: open + index, fresh process (best of 2)",
                      ours: String(format: "%.2f s (index %.2f s), peak %.0f MiB", open.seconds, open.indexSeconds, open.peakMiB),
                      baseline: String(format: "SQLite open + first filter %.3f s", sqliteOpen.firstFilterSeconds),
                      ratio: String(format: "%.1f×", open.seconds / sqliteOpen.firstFilterSeconds), target: "10M ≤ 5 s, ≤ 3 GiB"),
            ResultRow(name: "\(count) GPFs: filter '\(filter)' (\(matches) match, median of 5)", ours: String(format: "%.1f ms", filterMilliseconds),
                      baseline: String(format: "SQLite indexed %.1f ms", sqliteOpen.filterSeconds * 1000),
                      ratio: String(format: "%.2f×", filterMilliseconds / (sqliteOpen.filterSeconds * 1000)), target: "-"),
            ResultRow(name: "\(count) GPFs: report post-commissioning, streamed (\(postRows) rows)", ours: String(format: "%.2f s", postSeconds),
                      baseline: "-", ratio: "-", target: "10M ≤ 5 s"),
            ResultRow(name: "\(count) GPFs: report counter-risk, streamed (\(riskRows) rows)", ours: String(format: "%.2f s", riskSeconds),
                      baseline: "-", ratio: "-", target: "10M ≤ 5 s"),
        ]
    }
}

/// The estate's devices as one indexed SQLite table: what "use a database" would give the console.
enum SQLiteEstate {
    static func write(_ estate: Estate, to path: String) throws {
        let queue = try DatabaseQueue(path: path)
        let owner = Dictionary(uniqueKeysWithValues: estate.ledger.certificates.map { ($0.id, $0.owner) })
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE device (id INTEGER PRIMARY KEY, type TEXT NOT NULL, supplier TEXT NOT NULL, networkOperator TEXT,
                                     commissionedAt INTEGER, recordedCounter TEXT)
                """)
            let insert = try db.makeStatement(sql: "INSERT INTO device VALUES (?, ?, ?, ?, ?, ?)")
            for device in estate.devices {
                try insert.execute(arguments: [Int64(bitPattern: device.id.rawValue), device.type.rawValue, device.supplier,
                                               device.cells[.networkOperatorDS].flatMap { owner[$0] }, device.commissionedAt?.secondsSince1970,
                                               estate.ledger.recordedCounters[device.id].map { "\($0.value)" }])
            }
            try db.execute(sql: "CREATE INDEX device_networkOperator ON device (networkOperator)")
            try db.execute(sql: "CREATE INDEX device_supplier ON device (supplier)")
        }
    }

    /// Opening the database in a fresh process: its first page of devices and its first filter.
    struct FirstQuery {
        var firstQuerySeconds: Double
        var firstFilterSeconds: Double
        var filterSeconds: Double
        var matches: Int

        /// Child mode `--sqlite-first-query PATH`: prints the four figures.
        static func measure(_ path: String) throws -> String {
            let start = ContinuousClock.now
            let queue = try DatabaseQueue(path: path)
            let page = try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM device ORDER BY id LIMIT 50") }
            let first = ContinuousClock.now - start
            let count = try queue.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM device WHERE networkOperator = ?", arguments: ["cadent"]) ?? 0
            }
            let firstFilter = ContinuousClock.now - start
            let (filterSeconds, again) = try Measure.seconds {
                try queue.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM device WHERE networkOperator = ?", arguments: ["cadent"]).count }
            }
            guard page.count == 50 || page.count == count, again == count else { throw BenchmarkError("SQLite answered \(page.count) and \(again)") }
            func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
            return String(format: "%.4f %.4f %.4f %d", seconds(first), seconds(firstFilter), filterSeconds, count)
        }

        static func run(_ path: String) throws -> FirstQuery {
            let fields = try childFields(["--sqlite-first-query", path])
            guard fields.count == 4, let first = Double(fields[0]), let firstFilter = Double(fields[1]),
                  let filter = Double(fields[2]), let matches = Int(fields[3])
            else { throw BenchmarkError("SQLite first query printed \(fields)") }
            return FirstQuery(firstQuerySeconds: first, firstFilterSeconds: firstFilter, filterSeconds: filter, matches: matches)
        }
    }
}
