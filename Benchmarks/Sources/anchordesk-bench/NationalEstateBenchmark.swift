import AnchorCore
import AnchorPostgres
import AnchorStore
import Foundation

/// A national estate on PostgreSQL: `init` (the device table by `COPY`), the console's first
/// screen (a page of devices read from the device table while the whole store is read behind
/// it), a page anywhere in the estate, and `no=ORG` pages, beside a store directory of the same
/// estate in the same run (whose console shows the head of its snapshot first, and must read
/// the whole store before it can page or filter).
/// `--only national --postgresql URL --devices N` (the password in PGPASSWORD).
enum NationalEstateBenchmark {
    /// The console's page: enough devices for the tallest screen (as `DiskStoreService`).
    static let pageSize = 500

    /// - Parameters:
    ///   - reuse: time the reads on the store already in the database (made by an earlier run),
    ///     without making it again or a directory store beside it.
    ///   - anchordesk: a release build of the CLI, to time both reports as an operator runs them.
    static func run(base: Ledger, devices: Int, url: String, directory: String, readWhole: Bool, reuse: Bool = false,
                    anchordesk: String? = nil) throws -> [ResultRow] {
        let location = try PostgresLocation(url: url)
        var environment = ProcessInfo.processInfo.environment
        environment["ANCHORDESK_PG_LOCAL"] = directory + "/national-local"
        let json = DirectoryStore(directory: directory + "/national-baseline")
        if !reuse {
            try? FileManager.default.removeItem(atPath: json.directory)
            try? FileManager.default.removeItem(atPath: environment["ANCHORDESK_PG_LOCAL"]!)
        }
        var rows: [ResultRow] = []
        func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
        func milliseconds(_ value: Double) -> String { String(format: "%.1f ms", value * 1000) }

        // The estate exists only while both stores are made, so the reads below have the memory.
        var probes: [EUI64] = []
        if reuse {
            let existing = PostgresStore(location: location, environment: environment)
            let ends = try [DevicePageStart.first, .last].map { try existing.page($0, filter: .all, sort: DeviceSort(), limit: 1) }
            let bounds = ends.compactMap { $0.preview.estate.devices.first?.id.rawValue }
            guard bounds.count == 2, bounds[0] < bounds[1] else { throw BenchmarkError("--reuse: the database holds no estate to read") }
            probes = try (0..<20).compactMap { _ in
                let from = EUI64(rawValue: UInt64.random(in: bounds[0]..<bounds[1]))
                return try existing.page(.after(from), filter: .all, sort: DeviceSort(), limit: 1).preview.estate.devices.first?.id
            }
        } else {
            let (generate, estate) = try Measure.seconds { try SyntheticEstate.generate(over: base, count: devices, seed: 25) }
            print("generated \(devices) GPFs in \(seconds(generate))")
            let (createJSON, _) = try Measure.seconds { try json.create(with: estate, replacingExisting: true) }
            let (createPostgres, _) = try Measure.seconds {
                try PostgresStore(location: location, environment: environment).create(with: estate, replacingExisting: true)
            }
            rows.append(ResultRow(name: "init --estate \(devices) (snapshot, and the device table by COPY)", ours: seconds(createPostgres),
                                  baseline: "directory " + seconds(createJSON), ratio: String(format: "%.2f×", createPostgres / createJSON), target: "-"))
            var generator = SystemRandomNumberGenerator()
            probes = (0..<20).map { _ in estate.devices[Int.random(in: 0..<estate.devices.count, using: &generator)].id }
        }

        // First screen: a console process starts, connects, counts, reads the first page.
        var firstScreens: [Double] = []
        var first: DevicePage?
        for _ in 0..<5 {
            let fresh = PostgresStore(location: location, environment: environment)
            let (elapsed, page) = try Measure.seconds { () throws -> DevicePage in
                _ = try fresh.deviceCount()
                return try fresh.page(.first, filter: .all, sort: DeviceSort(), limit: pageSize)
            }
            firstScreens.append(elapsed)
            first = page
        }
        var previews: [Double] = []
        for _ in 0..<5 {
            let (elapsed, preview) = Measure.seconds { StorePreview.read(directory: json.directory, devices: pageSize) }
            guard preview != nil else { throw BenchmarkError("the directory store gave no preview") }
            previews.append(elapsed)
        }
        let screen = (Measure.percentile(firstScreens, 0.5), Measure.percentile(previews, 0.5))
        rows.append(ResultRow(name: "console first screen (\(first?.preview.estate.devices.count ?? 0) of \(first?.matching ?? 0) GPFs), median of 5",
                              ours: milliseconds(screen.0), baseline: "directory head " + milliseconds(screen.1),
                              ratio: String(format: "%.2f×", screen.0 / screen.1), target: "≤ 1 s"))

        // A page anywhere: after a random device, on one connection as the console keeps it.
        let pager = PostgresStore(location: location, environment: environment)
        _ = try pager.page(.first, filter: .all, sort: DeviceSort(), limit: pageSize)
        var pages: [Double] = []
        for probe in probes {
            let (elapsed, page) = try Measure.seconds { try pager.page(.after(probe), filter: .all, sort: DeviceSort(), limit: pageSize) }
            guard page.preview.estate.devices.first.map({ $0.id > probe }) ?? true else { throw BenchmarkError("a page started too early") }
            pages.append(elapsed)
        }
        let (lastPage, _) = try Measure.seconds { try pager.page(.last, filter: .all, sort: DeviceSort(), limit: pageSize) }
        rows.append(ResultRow(name: "a page of \(pageSize) after a random device, p50 / p99 of \(probes.count); the last page",
                              ours: milliseconds(Measure.percentile(pages, 0.5)) + " / " + milliseconds(Measure.percentile(pages, 0.99))
                                  + "; " + milliseconds(lastPage),
                              baseline: "-", ratio: "-", target: "≤ 50 ms"))

        // Filter by organisation: the count and the first page, then a page deep inside it.
        for organisation in ["cadent", "wales-west"] {
            let filter = try DeviceFilter(parsing: "no=\(organisation)")
            var times: [Double] = []
            var matched: DevicePage?
            for _ in 0..<5 {
                let (elapsed, page) = try Measure.seconds { try pager.page(.first, filter: filter, sort: DeviceSort(), limit: pageSize) }
                times.append(elapsed)
                matched = page
            }
            let middle = probes[probes.count / 2]
            let (deep, _) = try Measure.seconds { try pager.page(.after(middle), filter: filter, sort: DeviceSort(), limit: pageSize) }
            rows.append(ResultRow(name: "filter no=\(organisation) (\(matched?.matching ?? 0) GPFs): count + first page, median of 5; a page mid-estate",
                                  ours: milliseconds(Measure.percentile(times, 0.5)) + "; " + milliseconds(deep),
                                  baseline: "-", ratio: "-", target: "≤ 500 ms"))
        }

        // Filters beyond no=ORG: counted in one pass over the rows (kept until a commit), then paged.
        let supplier = first?.preview.estate.devices.first?.supplier ?? "heron-energy"
        let counted = try DeviceFilter(parsing: "supplier=\(supplier) counter")
        let (countedFirst, countedPage) = try Measure.seconds { try pager.page(.first, filter: counted, sort: DeviceSort(), limit: pageSize) }
        let countedAnchor = countedPage.preview.estate.devices.last?.id ?? probes[0]
        let (countedNext, _) = try Measure.seconds { try pager.page(.after(countedAnchor), filter: counted, sort: DeviceSort(), limit: pageSize) }
        rows.append(ResultRow(name: "filter supplier=\(supplier) counter (\(countedPage.matching) GPFs): count + first page; the next page (count kept)",
                              ours: milliseconds(countedFirst) + "; " + milliseconds(countedNext), baseline: "-", ratio: "-", target: "-"))

        // Sorted pages: every page a pass over the matching rows (no index serves a sort).
        for (name, sort) in [("supplier", DeviceSort(column: .supplier)), ("recorded counter, descending", DeviceSort(column: .recordedCounter, ascending: false)),
                             ("NO cell owner", DeviceSort(column: .networkOperator))] {
            let (sortedFirst, _) = try Measure.seconds { try pager.page(.first, filter: .all, sort: sort, limit: pageSize) }
            let (sortedLast, _) = try Measure.seconds { try pager.page(.last, filter: .all, sort: sort, limit: pageSize) }
            let (sortedFiltered, _) = try Measure.seconds { try pager.page(.first, filter: try DeviceFilter(parsing: "no=cadent"), sort: sort, limit: pageSize) }
            rows.append(ResultRow(name: "sorted by \(name): first page; last page; no=cadent sorted, first page",
                                  ours: milliseconds(sortedFirst) + "; " + milliseconds(sortedLast) + "; " + milliseconds(sortedFiltered),
                                  baseline: "-", ratio: "-", target: "-"))
        }

        if let anchordesk { rows += try reports(anchordesk, url: url, directory: directory, baseline: json.directory) }

        if readWhole {
            // What the console reads behind the pages, and what a directory store's console waits for first.
            let (openJSON, jsonStore) = try Measure.seconds { try json.open(access: .readOnly) }
            jsonStore.close()
            let (openPostgres, postgresStore) = try Measure.seconds {
                try PostgresStore(location: location, environment: environment).open(access: .readOnly)
            }
            postgresStore.close()
            rows.append(ResultRow(name: "the whole store read (behind the pages; this machine's copy current)", ours: seconds(openPostgres),
                                  baseline: "directory " + seconds(openJSON), ratio: String(format: "%.2f×", openPostgres / openJSON),
                                  target: "-"))
        }
        return rows
    }

    /// Both reports as CSV, a fresh process each from a machine that never opened the store, on
    /// the database and on the store directory of the same estate (which reads it whole first).
    private static func reports(_ anchordesk: String, url: String, directory: String, baseline: String) throws -> [ResultRow] {
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory]
        environment["PGPASSWORD"] = ProcessInfo.processInfo.environment["PGPASSWORD"]
        environment["ANCHORDESK_PG_LOCAL"] = directory + "/national-reports"
        var rows: [ResultRow] = []
        for report in ["counter-risk", "post-commissioning"] {
            try? FileManager.default.removeItem(atPath: environment["ANCHORDESK_PG_LOCAL"]!)
            let onDatabase = try ChildRun.run(anchordesk, ["report", report, "--format", "csv", "--store", url], environment: environment)
            let onDirectory = try ChildRun.run(anchordesk, ["report", report, "--format", "csv", "--store", baseline], environment: environment)
            guard onDatabase.status == 0, onDirectory.status == 0 else {
                throw BenchmarkError("report \(report) exited \(onDatabase.status) on PostgreSQL, \(onDirectory.status) on the directory")
            }
            rows.append(ResultRow(name: "report \(report) --format csv, fresh process (wall, peak RSS)",
                                  ours: String(format: "%.2f s, %.0f MiB", onDatabase.seconds, onDatabase.peakMiB),
                                  baseline: String(format: "directory %.2f s, %.0f MiB", onDirectory.seconds, onDirectory.peakMiB),
                                  ratio: String(format: "%.2f×", onDatabase.seconds / onDirectory.seconds),
                                  target: report == "counter-risk" ? "≤ 10 s" : "-"))
        }
        return rows
    }
}
