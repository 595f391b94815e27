import Foundation
import Testing

/// A checker script in `Scripts/`, run with Python 3 and its `cryptography` (OpenSSL
/// underneath): code AnchorDesk did not write, reading what AnchorDesk made.
struct PythonCheck {
    /// The script's path.
    let script: String

    /// `Scripts/NAME`.
    init(_ name: String) {
        script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/" + name).path
    }

    /// Python 3 with `cryptography` is installed, or this is CI (where `.ci/run` installs
    /// python3-cryptography, so a missing one fails rather than skips).
    static var isAvailable: Bool {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import cryptography"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        let available = (try? check.run()).map { check.waitUntilExit(); return check.terminationStatus == 0 } ?? false
        return available || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// The JSON the script prints for `arguments`; fails the test, with its stderr, when it does not succeed.
    func json<Document>(_ arguments: [String], as type: Document.Type = Document.self) throws -> Document {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(errors)")
        return try #require(try JSONSerialization.jsonObject(with: output) as? Document, "\(errors)")
    }
}
