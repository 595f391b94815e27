import AnchorCore
import AnchorStore
import Foundation

// `swift run -c release anchordesk-bench [--devices N] [--requests N] [--bulk N] [--scheduled N] [--logged N] [--dir DIR]`
// (`--only logged` runs the logged-requests rows alone; `--only postgresql --postgresql URL` the PostgreSQL rows;
// `--only cli --postgresql URL --anchordesk PATH [--runs K] [--stream-runs S]` anchordesk's own request command, fresh processes, on both backends;
// `--only national --postgresql URL [--read-whole] [--reuse] [--anchordesk PATH]` the national-estate paging rows (`--reuse`: on the store an earlier run made; `--anchordesk`: and both reports by that binary); `--only duis [--duis-requests N] [--postgresql URL]` the DUIS load rows (with a URL: two DSPs on one database);
// `--only operator --anchordesk PATH [--runs K] [--postgresql URL] [--reuse] [--bulk N [--bulk-filter EXPR] [--bulk-runs K]]` requests, reads and bulk hand-backs of N (K each way, default 2) through the operator API against the same at the DSP (with a URL: a DSP on that database, the baseline run at the DSP on it too);
// `--only xml [--xml-valid N]` hostile XML against `serve`: each refused alone, and valid requests beside four clients sending the worst;
// `--scale N,M` the estate-size rows for each size)
// from Benchmarks/. Every row compares against its baseline measured in this same run.
let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
}

// Child mode: open a store and report peak memory, so the figure is not inflated by generation.
if let store = option("--open-and-report-memory") {
    let (openSeconds, opened) = try Measure.seconds { try Store.open(at: store, access: .readOnly) }
    let (indexSeconds, index) = Measure.seconds { DeviceIndex(devices: opened.estate.devices, ledger: opened.estate.ledger) }
    print(String(format: "%.3f %.0f %d %.3f", openSeconds + indexSeconds, Measure.peakResidentMiB(), index.count, indexSeconds))
    exit(0)
}

if let database = option("--sqlite-first-query") {
    print(try SQLiteEstate.FirstQuery.measure(database))
    exit(0)
}

let deviceCount = option("--devices").flatMap(Int.init) ?? 1_000_000
let requests = option("--requests").flatMap(Int.init) ?? 1_000
let bulk = option("--bulk").flatMap(Int.init) ?? 100_000
let scheduled = option("--scheduled").flatMap(Int.init) ?? 10_000
let logged = option("--logged").flatMap(Int.init) ?? 0
let directory = option("--dir") ?? FileManager.default.currentDirectoryPath + "/.bench-store"
let demoData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("demo-data").path

do {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let base = try DemoData.load(from: demoData, now: Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970))).ledger
    if let sizes = option("--scale") {
        // `--scale 1000000,10000000`: the estate-size rows alone.
        var rows: [ResultRow] = []
        for size in sizes.split(separator: ",").compactMap({ Int($0) }) {
            rows += try EstateScaleBenchmark.run(base: base, devices: size, directory: directory)
        }
        ResultRow.print(rows)
        exit(0)
    }
    if option("--only") == "duis" {
        ResultRow.print(try DUISLoadBenchmark.run(base: base, requests: option("--duis-requests").flatMap(Int.init) ?? 10_000, directory: directory,
                                                  postgresql: option("--postgresql")))
        exit(0)
    }
    if option("--only") == "xml" {
        ResultRow.print(try DUISHostileBenchmark.run(base: base, directory: directory, valid: option("--xml-valid").flatMap(Int.init) ?? 500))
        exit(0)
    }
    if option("--only") == "postgresql" {
        guard let url = option("--postgresql") else { throw BenchmarkError("--only postgresql needs --postgresql URL (password in PGPASSWORD)") }
        ResultRow.print(try PostgresBenchmark.run(base: base, devices: deviceCount, single: requests, bulk: bulk, url: url, directory: directory))
        exit(0)
    }
    if option("--only") == "cli" {
        guard let url = option("--postgresql"), let anchordesk = option("--anchordesk") else {
            throw BenchmarkError("--only cli needs --postgresql URL (password in PGPASSWORD) and --anchordesk PATH (a release build)")
        }
        ResultRow.print(try CLIRequestBenchmark.run(base: base, devices: deviceCount, runs: option("--runs").flatMap(Int.init) ?? 20,
                                                    streamRuns: option("--stream-runs").flatMap(Int.init) ?? 60,
                                                    url: url, anchordesk: anchordesk, directory: directory))
        exit(0)
    }
    if option("--only") == "operator" {
        guard let anchordesk = option("--anchordesk") else { throw BenchmarkError("--only operator needs --anchordesk PATH (a release build)") }
        ResultRow.print(try OperatorAPIBenchmark.run(devices: deviceCount, runs: option("--runs").flatMap(Int.init) ?? 20, anchordesk: anchordesk,
                                                     directory: directory, postgresql: option("--postgresql"),
                                                     reuse: CommandLine.arguments.contains("--reuse"), bulk: option("--bulk").flatMap(Int.init) ?? 0,
                                                     bulkFilter: option("--bulk-filter") ?? "no=national-grid",
                                                     bulkRuns: option("--bulk-runs").flatMap(Int.init) ?? 2))
        exit(0)
    }
    if option("--only") == "national" {
        guard let url = option("--postgresql") else { throw BenchmarkError("--only national needs --postgresql URL (password in PGPASSWORD)") }
        ResultRow.print(try NationalEstateBenchmark.run(base: base, devices: deviceCount, url: url, directory: directory,
                                                        readWhole: CommandLine.arguments.contains("--read-whole"),
                                                        reuse: CommandLine.arguments.contains("--reuse"), anchordesk: option("--anchordesk")))
        exit(0)
    }
    if option("--only") == "logged" {
        ResultRow.print(try LoggedRequestsBenchmark.run(base: base, devices: deviceCount, logged: logged, directory: directory))
        exit(0)
    }
    let (generateSeconds, estate) = try Measure.seconds { try SyntheticEstate.generate(over: base, count: deviceCount, seed: 1) }
    print("AnchorDesk benchmarks: \(deviceCount) GPFs (generated in \(String(format: "%.1f", generateSeconds)) s), \(requests) single requests, bulk \(bulk)")
    var rows = try SnapshotBenchmark.run(estate: estate, directory: directory)
    rows += try FilterBenchmark.run(estate: estate)

    let fresh = try FreshProcessOpen.run(directory + "/ours")
    rows.append(ResultRow(name: "open store + build index, fresh process",
                          ours: String(format: "%.3f s, peak %.0f MiB", fresh.seconds, fresh.peakMiB),
                          baseline: "-", ratio: "-", target: "≤ 1 s, ≤ 1024 MiB"))
    rows += try WireBenchmark.run(ledger: base, samples: max(requests, 200))
    rows += try DurabilityBenchmark.run(storeDirectory: directory + "/ours", sqlitePath: directory + "/baseline.sqlite",
                                        single: requests, bulk: bulk)
    rows += try BulkWorkersBenchmark.run(base: base, bulk: bulk, directory: directory)
    if logged > 0 { rows += try LoggedRequestsBenchmark.run(base: base, devices: deviceCount, logged: logged, directory: directory) }
    rows += try ScheduleBenchmark.run(base: base, devices: max(8 * scheduled, 2000), scheduled: scheduled, directory: directory,
                                      estateForScan: estate)
    ResultRow.print(rows)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(4)
}
