import AnchorCore
import Foundation

/// Filter latency over the whole estate: the device index against a scan with `DeviceFilter.matches`.
enum FilterBenchmark {
    static let expressions = ["no=national-grid", "supplier=heron-energy no=cadent", "counter", "7F3A", "no=dcc-acb counter 00DB12"]

    static func run(estate: Estate) throws -> [ResultRow] {
        let (buildSeconds, index) = Measure.seconds { DeviceIndex(devices: estate.devices, ledger: estate.ledger) }
        var rows = [ResultRow(name: "device index build, \(estate.devices.count) GPFs", ours: String(format: "%.0f ms", buildSeconds * 1000),
                              baseline: "-", ratio: "-", target: "part of open")]
        for expression in expressions {
            let filter = try DeviceFilter(parsing: expression)
            var indexTimes: [Double] = []
            var scanTimes: [Double] = []
            var matches = 0
            for _ in 0..<7 {
                let (indexSeconds, found) = Measure.seconds { index.positions(matching: filter) }
                let (scanSeconds, scanned) = Measure.seconds { estate.devices.filter { filter.matches($0, in: estate.ledger) }.count }
                guard found.count == scanned else { throw BenchmarkError("index and scan disagree on '\(expression)'") }
                matches = found.count
                indexTimes.append(indexSeconds * 1000)
                scanTimes.append(scanSeconds * 1000)
            }
            let ours = Measure.percentile(indexTimes, 0.5), scan = Measure.percentile(scanTimes, 0.5)
            rows.append(ResultRow(name: "filter '\(expression)' (\(matches) match)", ours: String(format: "%.1f ms", ours),
                                  baseline: String(format: "scan %.1f ms", scan), ratio: String(format: "%.1f×", scan / ours), target: "≤ 100 ms"))
        }
        return rows
    }
}
