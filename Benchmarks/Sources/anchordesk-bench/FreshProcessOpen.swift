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
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["--open-and-report-memory", store]
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        let fields = output.split(whereSeparator: \.isWhitespace)
        guard child.terminationStatus == 0, fields.count == 4, let seconds = Double(fields[0]), let peak = Double(fields[1]),
              let devices = Int(fields[2]), let indexSeconds = Double(fields[3])
        else { throw BenchmarkError("opening \(store) in a fresh process failed: \(output)") }
        return FreshProcessOpen(seconds: seconds, peakMiB: peak, indexedDevices: devices, indexSeconds: indexSeconds)
    }
}
