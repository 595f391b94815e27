import AnchorCore
import Foundation

/// `anchordesk request 6.15.1` as an operator runs it, a fresh process each time, on a
/// PostgreSQL store and on a store directory holding the same synthetic estate, in the same run:
/// from a machine that never opened the store (the PostgreSQL store's local directory is new for
/// every request), and one or two operators sending requests one after another.
/// `--only cli --postgresql URL --anchordesk PATH [--devices N] [--runs K] [--stream-runs S]` (password in PGPASSWORD).
enum CLIRequestBenchmark {
    static func run(base ledger: Ledger, devices: Int, runs: Int, streamRuns: Int, url: String, anchordesk: String, directory: String) throws -> [ResultRow] {
        let root = directory + "/cli"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let directoryStore = root + "/directory-store"
        var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": root,
                    "ANCHORDESK_LOCK_TIMEOUT": "60"]
        base["PGPASSWORD"] = ProcessInfo.processInfo.environment["PGPASSWORD"]
        let environment = base
        @Sendable func on(_ store: String, machine: String) -> [String: String] {
            var environment = environment
            environment["ANCHORDESK_KEYS"] = root + (store == url ? "/keys-postgresql" : "/keys-directory")
            environment["ANCHORDESK_PG_LOCAL"] = root + "/machine-" + machine
            return environment
        }
        @Sendable func anchordeskRun(_ arguments: [String], store: String, machine: String) throws -> ChildRun {
            let run = try ChildRun.run(anchordesk, arguments + ["--store", store], environment: on(store, machine: machine))
            guard run.status == 0 else { throw BenchmarkError("anchordesk \(arguments.joined(separator: " ")) on \(store) exited \(run.status)") }
            return run
        }
        var rows: [ResultRow] = []
        let initPostgres = try anchordeskRun(["init", "--estate", String(devices), "--force"], store: url, machine: "admin")
        let initDirectory = try anchordeskRun(["init", "--estate", String(devices), "--force"], store: directoryStore, machine: "admin")
        rows.append(ResultRow(name: "anchordesk init --estate \(devices)", ours: PostgresBenchmark.seconds(initPostgres.seconds),
                              baseline: "directory " + PostgresBenchmark.seconds(initDirectory.seconds),
                              ratio: String(format: "%.2f×", initPostgres.seconds / initDirectory.seconds), target: "-"))

        // National Grid's devices, the same in both stores (the same estate, the same seed).
        let certificate = ledger.certificates(ownedBy: "national-grid").first { $0.keyUsage == .digitalSigning }?.id ?? "national-grid-ds"
        let needed = 4 * runs + 2 * streamRuns
        let listing = Process()
        listing.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        listing.arguments = [url.replacingOccurrences(of: "postgresql://", with: "postgres://"), "-Atc",
                             "select id from anchordesk.devices where network_operator_ds = '\(certificate)' order by id limit \(needed)"]
        listing.environment = environment
        let pipe = Pipe()
        listing.standardOutput = pipe
        try listing.run()
        let ids = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
        listing.waitUntilExit()
        guard ids.count == needed else { throw BenchmarkError("found \(ids.count) of \(needed) National Grid devices") }
        @Sendable func handBack(_ device: String) -> [String] {
            ["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"]
        }

        // A machine that never opened the store: a new local directory for every request.
        var fresh: [ChildRun] = []
        var baseline: [ChildRun] = []
        for index in 0..<runs {
            fresh.append(try anchordeskRun(handBack(ids[index]), store: url, machine: "fresh-\(index)"))
            baseline.append(try anchordeskRun(handBack(ids[runs + index]), store: directoryStore, machine: "directory"))
        }
        let p50 = (Measure.percentile(fresh.map(\.seconds), 0.5), Measure.percentile(baseline.map(\.seconds), 0.5))
        rows.append(ResultRow(
            name: "request 6.15.1, fresh process, machine that never opened the store (\(runs) runs)",
            ours: String(format: "p50 %.0f ms, peak %.0f MiB", p50.0 * 1000, fresh.map(\.peakMiB).max() ?? .nan),
            baseline: String(format: "directory p50 %.0f ms, peak %.0f MiB", p50.1 * 1000, baseline.map(\.peakMiB).max() ?? .nan),
            ratio: String(format: "%.3g×", p50.0 / p50.1), target: "≤ 150 ms, ≤ 150 MiB"))

        // Operators sending requests one after another: one of them, then two at once.
        func perSecond(_ store: String, streams: [[String]]) throws -> Double {
            let (elapsed, _) = try Measure.seconds {
                try concurrentStreams(streams) { device, stream in
                    _ = try anchordeskRun(handBack(device), store: store, machine: "operator-\(stream)")
                }
            }
            return Double(streams.map(\.count).reduce(0, +)) / elapsed
        }
        // The PostgreSQL streams take `streamRuns` requests each way; the store directory's, `runs`.
        var next = 2 * runs
        func take(_ count: Int) -> [String] {
            defer { next += count }
            return Array(ids[next..<(next + count)])
        }
        func split(_ items: [String]) -> [[String]] { [Array(items.prefix(items.count / 2)), Array(items.dropFirst(items.count / 2))] }
        let oneRows = try perSecond(url, streams: [take(streamRuns)])
        let twoRows = try perSecond(url, streams: split(take(streamRuns)))
        let oneDirectory = try perSecond(directoryStore, streams: [take(runs)])
        let twoDirectory = try perSecond(directoryStore, streams: split(take(runs)))
        rows.append(ResultRow(name: "one operator's requests, one after another (\(streamRuns) on PostgreSQL, \(runs) on the directory)", ours: String(format: "%.1f req/s", oneRows),
                              baseline: String(format: "directory %.3g req/s", oneDirectory), ratio: String(format: "%.3g×", oneRows / oneDirectory),
                              target: "-"))
        rows.append(ResultRow(name: "two operators at once, distinct devices", ours: String(format: "%.1f req/s (%.2f× of one)", twoRows, twoRows / oneRows),
                              baseline: String(format: "directory %.3g req/s (%.2f× of one)", twoDirectory, twoDirectory / oneDirectory),
                              ratio: String(format: "%.3g×", twoRows / twoDirectory), target: "≥ 1.6× of one"))
        return rows
    }

    /// Runs each stream's items in order, the streams side by side.
    static func concurrentStreams(_ streams: [[String]], _ body: @escaping @Sendable (String, Int) throws -> Void) throws {
        let failures = NSLock()
        nonisolated(unsafe) var failure: (any Error)?
        DispatchQueue.concurrentPerform(iterations: streams.count) { stream in
            for item in streams[stream] {
                do {
                    try body(item, stream)
                } catch {
                    failures.withLock { failure = error }
                    return
                }
            }
        }
        if let failure { throw failure }
    }
}
