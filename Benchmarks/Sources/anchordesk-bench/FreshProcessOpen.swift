import Foundation

/// Opening a store in a fresh process of this benchmark (`--open-and-report-memory`), so its
/// time and peak memory are the open's alone, not inflated by whatever this process made before.
struct FreshProcessOpen {
    var seconds: Double
    var peakMiB: Double
    var indexedDevices: Int
    /// Of `seconds`, the time taken to build the device index after the open.
    var indexSeconds: Double

    static func run(_ store: String) throws -> FreshProcessOpen {
        let fields = try childFields(["--open-and-report-memory", store])
        guard fields.count == 4, let seconds = Double(fields[0]), let peak = Double(fields[1]),
              let devices = Int(fields[2]), let indexSeconds = Double(fields[3])
        else { throw BenchmarkError("opening \(store) in a fresh process printed \(fields)") }
        return FreshProcessOpen(seconds: seconds, peakMiB: peak, indexedDevices: devices, indexSeconds: indexSeconds)
    }
}

/// Runs this benchmark again with `arguments` (one of its child modes) and returns the
/// whitespace-separated fields it printed.
func childFields(_ arguments: [String]) throws -> [Substring] {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = arguments
    let pipe = Pipe()
    child.standardOutput = pipe
    try child.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    child.waitUntilExit()
    guard child.terminationStatus == 0 else { throw BenchmarkError("\(arguments.joined(separator: " ")) failed: \(output)") }
    return output.split(whereSeparator: \.isWhitespace)
}
