import Foundation

/// Small timing helpers: wall-clock durations and percentiles.
enum Measure {
    /// Seconds taken by `body`, and what it returned.
    static func seconds<Result>(_ body: () throws -> Result) rethrows -> (Double, Result) {
        let start = ContinuousClock.now
        let result = try body()
        let elapsed = ContinuousClock.now - start
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, result)
    }

    /// The value at a fraction (0...1) of the sorted samples.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))]
    }

    /// The process's peak resident memory so far, from /proc/self/status (VmHWM), in MiB.
    static func peakResidentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
        return kilobytes / 1024
    }
}

/// One row of the results table: ours against the baseline, measured in the same run.
struct ResultRow {
    var name: String
    var ours: String
    var baseline: String
    var ratio: String
    var target: String

    static func print(_ rows: [ResultRow]) {
        let headers = ResultRow(name: "benchmark", ours: "AnchorDesk", baseline: "baseline (same run)", ratio: "ratio", target: "target")
        let all = [headers] + rows
        let widths = [all.map(\.name.count).max()!, all.map(\.ours.count).max()!, all.map(\.baseline.count).max()!,
                      all.map(\.ratio.count).max()!, all.map(\.target.count).max()!]
        for (index, row) in all.enumerated() {
            let cells = [row.name, row.ours, row.baseline, row.ratio, row.target]
            Swift.print("| " + zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |")
            if index == 0 { Swift.print("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|") }
        }
    }
}
