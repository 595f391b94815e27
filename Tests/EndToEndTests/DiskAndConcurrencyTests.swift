import Foundation
import Testing

/// A real full disk (a small tmpfs) and two processes on one store.
@Suite("End to end: full disk and two processes")
struct DiskAndConcurrencyTests {
    @Test func aFullDiskStopsTheBulkWithoutLosingOrInventingAnything() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-tmpfs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { _ = try? run("/bin/umount", [root]); try? FileManager.default.removeItem(atPath: root) }
        let mounted = try run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", root])
        try #require(mounted == 0, "this test mounts a small tmpfs (CI runs as root)")
        let store = root + "/store"
        #expect(try AnchorDeskProcess.run(["init", "--demo", "--store", store]).exitCode == 0)
        // Fill the disk so only a few journal records fit.
        let available = (try FileManager.default.attributesOfFileSystem(forPath: root)[.systemFreeSize] as? NSNumber)?.intValue ?? 0
        try Data(count: max(0, available - 8_192)).write(to: URL(fileURLWithPath: root + "/ballast"))

        let bulk = ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb", "--json", "--group-size", "1", "--store", store]
        let full = try AnchorDeskProcess.run(bulk)
        #expect(full.exitCode == 3, "\(full.stderr)")
        #expect(full.stderr.contains("No space left") || full.stderr.contains("free some disk space"), "\(full.stderr)")
        let acknowledged = full.stdout.split(separator: "\n").count
        #expect(acknowledged < 60)

        // Make room again: everything acknowledged is there, the rest completes, nothing twice.
        try FileManager.default.removeItem(atPath: root + "/ballast")
        let rerun = try AnchorDeskProcess.run(bulk)
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        let log = try #require(try AnchorDeskProcess.run(["requests", "--json", "--store", store]).json()["requests"] as? [[String: Any]])
            .filter { !DemoStore.historyRequestIds.contains($0["requestId"] as? String ?? "") }
        #expect(log.count == 60)
        #expect(Set(log.compactMap { $0["device"] as? String }).count == 60)
        let firstIds = full.stdout.split(separator: "\n").compactMap {
            ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any])?["requestId"] as? String
        }
        let loggedIds = Set(log.compactMap { $0["requestId"] as? String })
        #expect(firstIds.allSatisfy(loggedIds.contains))
    }

    @Test func aSecondWriterWaitsForTheFirstThenProceedsAndReadersSeeItsWork() throws {
        let store = try DemoStore()
        defer { store.remove() }
        #expect(try store.run(["init", "--estate", "20000", "--seed", "4", "--force"]).exitCode == 0)
        // The first writer: a bulk that holds the lock for a while.
        let first = Process()
        first.executableURL = URL(fileURLWithPath: AnchorDeskProcess.executable)
        first.arguments = ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid supplier=heron-energy", "--cert", "acb",
                           "--group-size", "1", "--store", store.path]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        // Wait until it holds the lock (its pid is in the lock file).
        let lockPath = store.path + "/lock"
        for _ in 0..<500 where !((try? String(contentsOfFile: lockPath, encoding: .utf8)) ?? "").contains("pid \(first.processIdentifier)") {
            Thread.sleep(forTimeInterval: 0.01)
        }
        // A reader is not blocked and sees a consistent store.
        #expect(try store.run(["store", "check"]).exitCode == 0)
        // A second writer with a generous timeout waits, then proceeds.
        let second = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", try firstKestrelNationalGridDevice(store), "--cert", "acb"],
                                   environment: ["ANCHORDESK_LOCK_TIMEOUT": "60"])
        #expect(second.exitCode == 0, "\(second.stderr)")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        // Both processes' work is visible to a new reader.
        let log = try #require(try store.run(["requests", "--json"]).json()["requests"] as? [[String: Any]])
        #expect(log.contains { $0["requester"] as? String == "national-grid" && ($0["device"] as? String) != nil })
        #expect(try store.run(["devices", "--filter", "no=national-grid supplier=heron-energy", "--json"]).json()["total"] as? Int == 0)
    }

    @Test func aWriterThatCannotGetTheLockNamesTheHolder() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let lockPath = store.path + "/lock"
        // flock(1) holds the lock; the process holding it records its pid as AnchorDesk does.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [lockPath, "/bin/sh", "-c", "echo \"pid $$\" > \(lockPath); exec sleep 60"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        var recorded = ""
        for _ in 0..<3000 where !recorded.hasPrefix("pid ") {
            Thread.sleep(forTimeInterval: 0.01)
            recorded = (try? String(contentsOfFile: lockPath, encoding: .utf8)) ?? ""
        }
        try #require(recorded.hasPrefix("pid "), "flock(1) did not take the lock")
        let pid = recorded.dropFirst(4).prefix { $0.isNumber }
        let refused = try store.run(["request", "6.21", "--as", "heron-energy", "--device", "00-DB-12-02-70-A7-80-E9", "--gno", "cadent"],
                                    environment: ["ANCHORDESK_LOCK_TIMEOUT": "0.2"])
        #expect(refused.exitCode == 3)
        #expect(refused.stderr.contains("locked by process \(pid)"), "\(refused.stderr)")
        kill(pid_t(pid) ?? 0, SIGKILL)
    }

    func firstKestrelNationalGridDevice(_ store: DemoStore) throws -> String {
        let devices = try #require(try store.run(["devices", "--filter", "no=national-grid supplier=kestrel-supply", "--limit", "1", "--json"])
            .json()["devices"] as? [[String: Any]])
        return try #require(devices.first?["id"] as? String)
    }

    func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
