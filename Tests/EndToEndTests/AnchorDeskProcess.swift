import Foundation
import Testing

/// Runs the built `anchordesk` executable, as a user's script would.
struct AnchorDeskProcess {
    struct Result {
        var exitCode: Int32
        var stdout: String
        var stderr: String

        /// stdout parsed as a JSON object.
        func json() throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(object as? [String: Any], "stdout is not a JSON object: \(stdout)")
        }
    }

    /// The executable built beside the test bundle (`$ANCHORDESK_BIN` overrides).
    static let executable: String = {
        if let explicit = ProcessInfo.processInfo.environment["ANCHORDESK_BIN"] { return explicit }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("anchordesk").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return testBinary.deletingLastPathComponent().appendingPathComponent("anchordesk").path
    }()

    static let demoData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("demo-data").path

    /// Runs `anchordesk ARGUMENTS` with a fixed clock and waits for it; with `launcher`, runs
    /// that command line instead, in the same environment (one that starts `anchordesk` itself,
    /// such as `script` for a pseudo-terminal).
    @discardableResult
    static func run(
        _ arguments: [String], environment extra: [String: String] = [:], workingDirectory: String? = nil, via launcher: [String]? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher?.first ?? executable)
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        process.arguments = launcher.map { Array($0.dropFirst()) } ?? arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ANCHORDESK_NOW"] = "2026-11-25T09:00:00Z"
        environment["ANCHORDESK_DEMO_DATA"] = demoData
        environment.removeValue(forKey: "ANCHORDESK_STORE")
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(exitCode: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// An `anchordesk` left running, its stdout read as it arrives: for tests that interrupt or
/// kill it part way.
struct RunningAnchorDesk {
    let process = Process()
    private let output = Pipe()
    /// Everything it printed so far.
    private(set) var received = Data()

    /// Starts `anchordesk ARGUMENTS` with `extra` added to this environment; stderr goes to
    /// `errors`, or is discarded. With `openFileLimit` it may open no more files than that
    /// (util-linux's `prlimit` sets the limit and runs it in its place).
    init(_ arguments: [String], environment extra: [String: String] = [:], errors: FileHandle? = nil, openFileLimit: Int? = nil) throws {
        if let openFileLimit {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            process.arguments = ["--nofile=\(openFileLimit):\(openFileLimit)", "--", AnchorDeskProcess.executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: AnchorDeskProcess.executable)
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.standardOutput = output
        process.standardError = errors ?? FileHandle.nullDevice
        try process.run()
    }

    /// Waits until it has printed `count` complete lines, or its output ends.
    mutating func waitForLines(_ count: Int) {
        while received.filter({ $0 == UInt8(ascii: "\n") }).count < count {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return }
            received += chunk
        }
    }

    /// Reads the rest of its output and waits for it to end.
    mutating func finish() {
        received += output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
    }

    /// The complete lines printed (a line cut short by a kill does not count).
    var lines: [Substring] {
        let text = String(decoding: received, as: UTF8.self)
        let complete = text.hasSuffix("\n") ? Substring(text) : text[..<(text.lastIndex(of: "\n") ?? text.startIndex)]
        return complete.split(separator: "\n")
    }
}

/// A scratch directory holding a demo store, removed at the end of the test.
struct DemoStore {
    let root: URL
    var path: String { root.appendingPathComponent("store").path }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let result = try AnchorDeskProcess.run(["init", "--demo", "--store", path])
        #expect(result.exitCode == 0, "init failed: \(result.stderr)")
    }

    /// Runs a command against this store.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> AnchorDeskProcess.Result {
        try AnchorDeskProcess.run(arguments + ["--store", path], environment: environment)
    }

    /// The request log as `requests --json` prints it, without `demo-data/history.json`'s
    /// entries: what was sent since `init --demo`.
    func requestsSinceInit(_ extra: [String] = []) throws -> [[String: Any]] {
        let log = try run(["requests", "--json"] + extra).json()["requests"] as? [[String: Any]] ?? []
        return log.filter { !Self.historyRequestIds.contains($0["requestId"] as? String ?? "") }
    }

    /// The Request IDs in `demo-data/history.json`.
    static let historyRequestIds: Set<String> = {
        let url = URL(fileURLWithPath: AnchorDeskProcess.demoData).appendingPathComponent("history.json")
        guard let data = try? Data(contentsOf: url),
              let history = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let requests = history["requests"] as? [[String: Any]] else { return [] }
        return Set(requests.compactMap { $0["requestId"] as? String })
    }()

    /// The store's files, to prove a failed command changed nothing.
    func files() throws -> [String: Data] {
        try Self.files(in: path)
    }

    /// The files below a folder but its lock, by path within it.
    static func files(in path: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: path) where name != "lock" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[name] = try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
        }
        return files
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
