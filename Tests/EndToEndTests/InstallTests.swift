import Foundation
import Testing

/// The executable alone, copied to a directory of its own and run from `/`, with no checkout
/// and no `ANCHORDESK_DEMO_DATA`: as after `swift build -c release` and a copy onto PATH.
@Suite("Installed: the executable works from anywhere")
struct InstallTests {
    @Test func theInstalledExecutableCreatesTheDemoStoreAndReportsFromRoot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let bin = root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let installed = bin.appendingPathComponent("anchordesk")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: AnchorDeskProcess.executable), to: installed)
        let store = root.appendingPathComponent("store").path

        func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            let process = Process()
            process.executableURL = installed
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: "/")
            var environment = ProcessInfo.processInfo.environment
            for key in ["ANCHORDESK_DEMO_DATA", "ANCHORDESK_STORE", "ANCHORDESK_KEYS"] { environment.removeValue(forKey: key) }
            environment["ANCHORDESK_NOW"] = "2026-11-25T09:00:00Z"
            process.environment = environment
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
        }

        let created = try run(["init", "--demo", "--store", store])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("from the demo data built into anchordesk: 221 devices"), "\(created.stdout)")
        let devices = try run(["devices", "--store", store, "--filter", "no=national-grid", "--limit", "1"])
        #expect(devices.status == 0 && devices.stdout.contains("national-grid"), "\(devices.stderr)")
        let report = try run(["report", "post-commissioning", "--store", store, "--format", "csv"])
        #expect(report.status == 0, "\(report.stderr)")
        for verdict in [",compliant,", ",pending,", ",non-compliant,"] {
            #expect(report.stdout.contains(verdict), "no \(verdict) row")
        }
        let handBack = try run(["request", "6.15.1", "--store", store, "--as", "national-grid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb"])
        #expect(handBack.status == 0, "\(handBack.stderr)")
    }
}
