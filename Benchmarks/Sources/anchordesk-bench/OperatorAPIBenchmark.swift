import AnchorCore
import AnchorPostgres
import AnchorStore
import DUISServer
import Foundation
import OperatorClient

/// `anchordesk request 6.15.1` and `device show` from an operator's machine through a DSP's
/// operator API (HTTPS with a client certificate; the request signed on the operator's side),
/// against the same commands run at the DSP, fresh processes each, in the same run: on a store
/// directory holding the same synthetic estate, or, with `postgresql`, on the DSP's database itself.
/// `--only operator --anchordesk PATH [--devices N] [--runs K] [--postgresql URL]`.
enum OperatorAPIBenchmark {
    /// - Parameter reuse: run on the stores an earlier run made, when they are there (`--reuse`).
    /// - Parameters:
    ///   - bulk: devices each bulk hand-back sends to, through the API and at the DSP (0: none).
    ///   - bulkFilter: the devices the hand-backs select, National Grid's among them.
    ///   - bulkRuns: hand-backs each way, taking turns.
    static func run(
        devices: Int, runs: Int, anchordesk: String, directory: String, postgresql: String? = nil, reuse: Bool = false, bulk: Int = 0,
        bulkFilter: String = "no=national-grid", bulkRuns: Int = 2
    ) throws -> [ResultRow] {
        let root = directory + "/operator"
        var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": root, "ANCHORDESK_LOCK_TIMEOUT": "60"]
        // The DSP's store and the operator files `init` writes beside it (for a database, in the DSP host's directory).
        let dsp: String, local: String, files: String
        if let postgresql {
            (dsp, local, files) = (postgresql, postgresql, root + "/dsp-host")
            base["PGPASSWORD"] = ProcessInfo.processInfo.environment["PGPASSWORD"]
            base["ANCHORDESK_PG_LOCAL"] = files
        } else {
            (dsp, local, files) = (root + "/dsp", root + "/local", root + "/dsp")
        }
        let place = postgresql == nil ? "store directory" : "the same database"
        func must(_ run: ChildRun, _ what: String) throws -> ChildRun {
            guard run.status == 0 else { throw BenchmarkError("anchordesk \(what) exited \(run.status)") }
            return run
        }
        if !(reuse && FileManager.default.fileExists(atPath: files + "/operator-tls")) {
            try? FileManager.default.removeItem(atPath: root)
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            for store in Set([dsp, local]) {
                _ = try must(ChildRun.run(anchordesk, ["init", "--estate", String(devices), "--force", "--store", store], environment: base), "init")
            }
        }
        let ids = try nationalGridDevices(anchordesk, store: local, count: 4 * runs, environment: base)
        var server = try OperatorServeProcess(anchordesk, store: dsp, log: root + "/serve.log", environment: base)
        defer { server.stop() }
        var remote = ["PATH": base["PATH"]!, "HOME": root]
        remote["ANCHORDESK_CA"] = files + "/operator-tls/operator-ca.pem"
        remote["ANCHORDESK_CLIENT_CERT"] = files + "/operators/national-grid.pem"
        remote["ANCHORDESK_CLIENT_KEY"] = files + "/operators/national-grid.key"
        remote["ANCHORDESK_KEYS"] = files + "/demo-user-keys"
        var atDSP = base
        atDSP["ANCHORDESK_KEYS"] = (postgresql == nil ? local : files) + "/demo-user-keys"
        func handBack(_ device: String, _ store: String) -> [String] {
            ["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb", "--store", store]
        }
        // The DSP opens its store at the first request: once, before anything is timed.
        _ = try must(ChildRun.run(anchordesk, ["device", "show", ids[0], "--store", server.address], environment: remote), "device show (warm-up)")

        // Back to back: each remote request follows the last within serve's idle time, so the DSP keeps the store open.
        var backToBack: [ChildRun] = []
        for index in 0..<runs {
            backToBack.append(try must(ChildRun.run(anchordesk, handBack(ids[index], server.address), environment: remote), "remote request"))
        }
        // Alone: a second between requests, so the DSP has let its store go and opens it again for each.
        var alone: [ChildRun] = []
        var baseline: [ChildRun] = []
        for index in 0..<runs {
            Thread.sleep(forTimeInterval: 1)
            alone.append(try must(ChildRun.run(anchordesk, handBack(ids[runs + index], server.address), environment: remote), "remote request"))
            baseline.append(try must(ChildRun.run(anchordesk, handBack(ids[2 * runs + index], local), environment: atDSP), "request at the DSP"))
        }
        // The same, 1 s apart, from a DSP that holds its store (`serve --hold-store`).
        server.stop()
        server = try OperatorServeProcess(anchordesk, store: dsp, log: root + "/serve-held.log", environment: base, holdingStore: true)
        _ = try must(ChildRun.run(anchordesk, ["device", "show", ids[0], "--store", server.address], environment: remote), "device show (warm-up)")
        var held: [ChildRun] = []
        for index in 0..<runs {
            Thread.sleep(forTimeInterval: 1)
            held.append(try must(ChildRun.run(anchordesk, handBack(ids[3 * runs + index], server.address), environment: remote), "remote request"))
        }

        // A remote console's first screen: a new TLS connection and the first page of 500, read
        // and decoded, against a console's first screen at the DSP (a store directory's snapshot
        // head; a database's count and first page).
        let pages = try (0..<5).map { _ in try Measure.seconds { try ConsoleFirstPage.read(server.address, operatorFiles: remote) }.0 }
        let heads = try (0..<5).map { _ in
            try Measure.seconds { () throws -> Int in
                if let postgresql {
                    // A console at the DSP on the database: a new connection, the count and the first page.
                    var environment = ProcessInfo.processInfo.environment
                    environment["ANCHORDESK_PG_LOCAL"] = files
                    let pager = PostgresStore(location: try PostgresLocation(url: postgresql), environment: environment)
                    _ = try pager.deviceCount()
                    return try pager.page(.first, filter: .all, sort: DeviceSort(), limit: ConsoleFirstPage.size).preview.estate.devices.count
                }
                guard let preview = StorePreview.read(directory: local, devices: ConsoleFirstPage.size) else { throw BenchmarkError("no preview") }
                return preview.estate.devices.count
            }.0
        }

        // Reads back to back, then the same at the DSP.
        _ = try must(ChildRun.run(anchordesk, ["device", "show", ids[0], "--store", server.address], environment: remote), "device show (warm-up)")
        let remoteShow = try (0..<runs).map { index in
            try must(ChildRun.run(anchordesk, ["device", "show", ids[index], "--store", server.address], environment: remote), "remote device show")
        }
        // On a database, `device show` at the DSP reads this host's copy of the whole store (tens of
        // seconds at 25,000,000 GPFs): three runs make its baseline.
        let localShow = try (0..<(postgresql == nil ? runs : min(runs, 3))).map { index in
            try must(ChildRun.run(anchordesk, ["device", "show", ids[index], "--store", local], environment: atDSP), "device show")
        }
        // Bulk hand-backs of `bulk` devices each, taking turns: at the DSP (`bulk 6.15.1` on its
        // store, every command signed there) and from the operator's machine (signed there, a
        // group of 500 at a time). Each takes the next devices National Grid still holds. The DSP
        // lets its store go between requests (as without --hold-store), so the bulk at the DSP can write.
        var bulkRows: [ResultRow] = []
        if bulk > 0 {
            server.stop()
            server = try OperatorServeProcess(anchordesk, store: dsp, log: root + "/serve-bulk.log", environment: base)
            let handBack = ["bulk", "6.15.1", "--as", "national-grid", "--filter", bulkFilter, "--cert", "acb", "--limit", String(bulk), "--json"]
            var remoteBulk: [ChildRun] = []
            var dspBulk: [ChildRun] = []
            // Each run's --json lines, one per request: a run that sent fewer than `bulk` measured nothing.
            func counted(_ run: ChildRun, _ output: String) throws -> ChildRun {
                let lines = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").count
                guard lines == bulk else { throw BenchmarkError("a bulk run printed \(lines) requests, not \(bulk)") }
                return run
            }
            let output = root + "/bulk.jsonl"
            for _ in 0..<max(1, bulkRuns) {
                dspBulk.append(try counted(must(ChildRun.run(anchordesk, handBack + ["--store", local], environment: atDSP, output: output), "bulk at the DSP"), output))
                Thread.sleep(forTimeInterval: 1)
                remoteBulk.append(try counted(must(ChildRun.run(anchordesk, handBack + ["--store", server.address], environment: remote, output: output), "remote bulk"), output))
                Thread.sleep(forTimeInterval: 1)
            }
            // The plan alone (`--limit 0`: the selection, no device sent), to tell the sending from it.
            let planAtDSP = try must(ChildRun.run(anchordesk, handBack.dropLast(3) + ["--limit", "0", "--store", local], environment: atDSP), "plan at the DSP")
            let planRemote = try must(ChildRun.run(anchordesk, handBack.dropLast(3) + ["--limit", "0", "--store", server.address], environment: remote), "remote plan")
            let median = { (runs: [ChildRun]) in Measure.percentile(runs.map(\.seconds), 0.5) }
            bulkRows.append(ResultRow(
                name: "bulk 6.15.1 of \(bulk) GPFs through the operator API (\(devices) GPFs, --filter '\(bulkFilter)'; median of \(max(1, bulkRuns)), each a fresh process)",
                ours: String(format: "%.2f s, %.0f /s", median(remoteBulk), Double(bulk) / median(remoteBulk)),
                baseline: String(format: "at the DSP, \(place): %.2f s, %.0f /s", median(dspBulk), Double(bulk) / median(dspBulk)),
                ratio: String(format: "%.2f×", median(remoteBulk) / median(dspBulk)), target: "≤ 1.5×"))
            bulkRows.append(ResultRow(
                name: "  the same less its plan (a run with --limit 0, the selection alone: \(String(format: "%.2f s through the API, %.2f s at the DSP", planRemote.seconds, planAtDSP.seconds)))",
                ours: String(format: "%.2f s, %.0f /s", median(remoteBulk) - planRemote.seconds, Double(bulk) / (median(remoteBulk) - planRemote.seconds)),
                baseline: String(format: "%.2f s, %.0f /s", median(dspBulk) - planAtDSP.seconds, Double(bulk) / (median(dspBulk) - planAtDSP.seconds)),
                ratio: String(format: "%.2f×", (median(remoteBulk) - planRemote.seconds) / (median(dspBulk) - planAtDSP.seconds)), target: "-"))
            // The audit trail both stores now hold (the bulk runs' requests), exported through the
            // API as it streams and at the DSP, each into a file.
            let exported = root + "/audit.jsonl"
            func entries() -> Int { ((try? String(contentsOfFile: exported, encoding: .utf8)) ?? "").split(separator: "\n").count }
            let remoteExport = try must(ChildRun.run(anchordesk, ["audit", "export", "--store", server.address], environment: remote, output: exported),
                                        "remote audit export")
            let remoteEntries = entries()
            let dspExport = try must(ChildRun.run(anchordesk, ["audit", "export", "--store", local], environment: atDSP, output: exported), "audit export at the DSP")
            bulkRows.append(ResultRow(
                name: "audit export through the operator API, streamed (\(remoteEntries) entries, after the bulk runs)",
                ours: String(format: "%.2f s, peak %.0f MiB", remoteExport.seconds, remoteExport.peakMiB),
                baseline: String(format: "at the DSP, \(place), \(entries()) entries: %.2f s, peak %.0f MiB", dspExport.seconds, dspExport.peakMiB),
                ratio: String(format: "%.2f×", remoteExport.seconds / dspExport.seconds), target: "-"))
        }

        func summary(_ samples: [ChildRun]) -> String {
            String(format: "p50 %.0f ms, p95 %.0f ms, peak %.0f MiB", Measure.percentile(samples.map(\.seconds), 0.5) * 1000,
                   Measure.percentile(samples.map(\.seconds), 0.95) * 1000, samples.map(\.peakMiB).max() ?? .nan)
        }
        func ratio(_ ours: [ChildRun], _ theirs: [ChildRun]) -> String {
            String(format: "%.3g×", Measure.percentile(ours.map(\.seconds), 0.5) / Measure.percentile(theirs.map(\.seconds), 0.5))
        }
        let size = "\(devices) GPFs, \(runs) runs"
        return [
            ResultRow(name: "request 6.15.1 through the operator API, back to back (\(size))", ours: summary(backToBack),
                      baseline: "at the DSP, \(place): " + summary(baseline), ratio: ratio(backToBack, baseline), target: "p50 ≤ 100 ms"),
            ResultRow(name: "request 6.15.1 through the operator API, 1 s apart (DSP reopens its store)", ours: summary(alone),
                      baseline: "at the DSP, \(place): " + summary(baseline), ratio: ratio(alone, baseline), target: "p50 ≤ 100 ms"),
            ResultRow(name: "request 6.15.1 through the operator API, 1 s apart, serve --hold-store", ours: summary(held),
                      baseline: "at the DSP, \(place): " + summary(baseline), ratio: ratio(held, baseline), target: "p50 ≤ 100 ms"),
            ResultRow(name: "remote console's first screen: TLS connection and first page of \(ConsoleFirstPage.size), serve --hold-store, median of 5",
                      ours: String(format: "%.1f ms", Measure.percentile(pages, 0.5) * 1000),
                      baseline: String(format: postgresql == nil ? "console on the store directory (snapshot head) %.1f ms"
                                                    : "console at the DSP on the database (count and first page) %.1f ms", Measure.percentile(heads, 0.5) * 1000),
                      ratio: String(format: "%.2f×", Measure.percentile(pages, 0.5) / Measure.percentile(heads, 0.5)), target: "≤ 1 s"),
            ResultRow(name: "device show through the operator API, back to back (\(size))", ours: summary(remoteShow),
                      baseline: "at the DSP, \(place): " + summary(localShow), ratio: ratio(remoteShow, localShow), target: "-"),
        ] + bulkRows
    }

    /// `count` devices whose Network Operator cell holds National Grid's certificate.
    private static func nationalGridDevices(_ anchordesk: String, store: String, count: Int, environment: [String: String]) throws -> [String] {
        let listing = Process()
        listing.executableURL = URL(fileURLWithPath: anchordesk)
        listing.arguments = ["devices", "--filter", "no=national-grid", "--limit", String(count), "--json", "--store", store]
        listing.environment = environment
        let pipe = Pipe()
        listing.standardOutput = pipe
        try listing.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        listing.waitUntilExit()
        let devices = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["devices"] as? [[String: Any]] ?? []
        let ids = devices.compactMap { $0["id"] as? String }
        guard ids.count == count else { throw BenchmarkError("found \(ids.count) of \(count) National Grid devices") }
        return ids
    }
}

/// `anchordesk serve` with its operator API on free loopback ports, as a child process.
final class OperatorServeProcess {
    let process = Process()
    let address: String

    init(_ anchordesk: String, store: String, log: String, environment: [String: String], holdingStore: Bool = false) throws {
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw BenchmarkError("could not create \(log)") }
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.executableURL = URL(fileURLWithPath: anchordesk)
        process.arguments = ["serve", "--store", store, "--listen", "127.0.0.1:0", "--operator-listen", "127.0.0.1:0"] + (holdingStore ? ["--hold-store"] : [])
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let prefix = "serving the operator API on "
        for _ in 0..<600 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                address = String(line.dropFirst(prefix.count).prefix { $0 != " " })
                return
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw BenchmarkError("serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

/// A remote console's first page, as `anchordesk --store https://…` reads it: a new connection
/// with the operator's certificate, `GET …/pages`, decoded.
enum ConsoleFirstPage {
    /// The console's page size.
    static let size = 500

    /// Reads it; `operatorFiles` names the operator's certificate, key and CA as the CLI's variables do.
    static func read(_ address: String, operatorFiles: [String: String]) throws -> Int {
        func file(_ variable: String) throws -> [UInt8] {
            guard let path = operatorFiles[variable], let data = FileManager.default.contents(atPath: path) else { throw BenchmarkError("no \(variable)") }
            return Array(data)
        }
        let connection = try OperatorConnection(address: address, certificate: try file("ANCHORDESK_CLIENT_CERT"),
                                                key: try file("ANCHORDESK_CLIENT_KEY"), authority: try file("ANCHORDESK_CA"))
        let reply = try connection.get(OperatorPageQuery(start: .first, filter: .all, sort: DeviceSort(), limit: size).path)
        guard reply.status == 200 else { throw BenchmarkError("the first page answered HTTP \(reply.status)") }
        let page = try DevicePageCodec.decode(reply.body, filter: .all, sort: DeviceSort(), start: .first, limit: size, shownAs: address)
        return page.preview.estate.devices.count
    }
}
