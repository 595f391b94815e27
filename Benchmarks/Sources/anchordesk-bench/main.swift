import Foundation

/// `swift run -c release anchordesk-bench [--requests N] [--dir DIR]` from Benchmarks/.
let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
}
let requests = option("--requests").flatMap(Int.init) ?? 1000
let directory = option("--dir") ?? FileManager.default.currentDirectoryPath + "/.bench-store"
let demoData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("demo-data").path

func percentile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
}

do {
    let result = try DurableRequestBenchmark.run(demoData: demoData, directory: directory, requests: requests)
    func row(_ name: String, _ values: [Double]) -> String {
        name.padding(toLength: 52, withPad: " ", startingAt: 0)
            + String(format: "p50 %8.1f µs   p99 %8.1f µs   mean %8.1f µs", percentile(values, 0.5), percentile(values, 0.99),
                     values.reduce(0, +) / Double(values.count))
    }
    print("durable requests: \(requests) (\(result.succeeded) succeeded), store \(directory)")
    print(row("one durable request (validate+sim+journal+fsync)", result.requestMicroseconds))
    print(row("baseline: journal append + fsync alone", result.fsyncOnlyMicroseconds))
    print(String(format: "ratio p50 request / fsync alone: %.2f", percentile(result.requestMicroseconds, 0.5) / percentile(result.fsyncOnlyMicroseconds, 0.5)))
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(4)
}
