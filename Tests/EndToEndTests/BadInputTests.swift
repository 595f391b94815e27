import Foundation
import Testing

/// Bad input: one `error:` line, the right exit code, and an untouched store.
@Suite("End to end: bad input")
struct BadInputTests {
    let device = "00-DB-12-01-73-F7-8B-92"

    func expectRefused(_ arguments: [String], exitCode: Int32 = 2, mentioning text: String, in store: DemoStore,
                       environment: [String: String] = [:]) throws {
        let before = try store.files()
        let result = try store.run(arguments, environment: environment)
        #expect(result.exitCode == exitCode, "\(arguments): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got: \(result.stderr)")
        #expect(lines.first?.hasPrefix("error: ") == true)
        #expect(result.stderr.contains(text), "\(result.stderr)")
        #expect(try store.files() == before, "the store changed")
    }

    @Test func malformedAndUnknownInputIsRefused() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let handBack = ["request", "6.15.1", "--as", "national-grid", "--cert", "acb"]
        for bad in ["00-DB-12", "zz-DB-12-01-73-F7-8B-92", "00DB120173F78B9", "\u{1B}[31m"] {
            try expectRefused(handBack + ["--device", bad], mentioning: "is not a device ID", in: store)
        }
        for counter in ["-1", "abc", "18446744073709551616", "1.5"] {
            try expectRefused(handBack + ["--device", device, "--counter=\(counter)"], mentioning: "is not a counter", in: store)
        }
        try expectRefused(["request", "6.15.1", "--as", "nobody", "--device", device, "--cert", "acb"], mentioning: "no organisation 'nobody'", in: store)
        try expectRefused(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "nothing"], mentioning: "no certificate 'nothing'", in: store)
        try expectRefused(["request", "6.21", "--as", "heron-energy", "--device", "00-00-00-00-00-00-00-01", "--gno", "cadent"], mentioning: "no device", in: store)
        try expectRefused(["device", "show", "00-00-00-00-00-00-00-01"], mentioning: "no device", in: store)
        try expectRefused(["devices", "--filter", "colour=red"], mentioning: "unknown filter key", in: store)
        try expectRefused(["devices", "--filter", Array(repeating: "0", count: 65).joined(separator: " ")], mentioning: "at most 64 terms", in: store)
        try expectRefused(["request", "6.21", "--as", "heron-energy"], mentioning: "Missing expected argument", in: store)
        try expectRefused(["frobnicate"], mentioning: "frobnicate", in: store)
    }

    /// A lock timeout that is no number of seconds a lock can be waited for: refused, nothing written
    /// (`nan`, `inf` and `1e300` used to stop the process with a fatal error).
    @Test func aLockTimeoutThatIsNotSecondsIsRefused() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let before = try store.files()
        let handBack = ["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb"]
        for timeout in ["nan", "inf", "1e300", "-1", "3000000", "two", "\u{1B}[31m"] {
            try expectRefused(handBack, mentioning: "ANCHORDESK_LOCK_TIMEOUT", in: store, environment: ["ANCHORDESK_LOCK_TIMEOUT": timeout])
        }
        #expect(try store.files() == before)
        #expect(try store.run(handBack, environment: ["ANCHORDESK_LOCK_TIMEOUT": "0"]).exitCode == 0)
    }

    @Test func aWorkerCountThatIsNotOneTo256IsRefused() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let bulk = ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb"]
        for workers in ["0", "257", "two", "\u{1B}[31m"] {
            try expectRefused(bulk, mentioning: "ANCHORDESK_WORKERS", in: store, environment: ["ANCHORDESK_WORKERS": workers])
        }
        let three = try store.run(bulk + ["--json"], environment: ["ANCHORDESK_WORKERS": "3"])
        #expect(three.exitCode == 0, "\(three.stderr)")
        let counters = try store.requestsSinceInit().compactMap { ($0["originatorCounter"] as? String).flatMap(UInt64.init) }
        #expect(counters.count == 60)
        #expect(counters == Array(1_647_302_400_000_001...1_647_302_400_000_060), "one counter each, in order")
    }

    @Test func aPagingThresholdThatIsNotANumberOfDevicesIsRefused() throws {
        let store = try DemoStore()
        defer { store.remove() }
        for threshold in ["abc", "-1", "99999999999999999999", "\u{1B}[31m"] {
            try expectRefused(["tui"], mentioning: "ANCHORDESK_PAGE_ABOVE", in: store, environment: ["ANCHORDESK_PAGE_ABOVE": threshold])
        }
    }

    @Test func errorsComeAsJSONWithTheFlag() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let result = try store.run(["request", "6.21", "--as", "nobody", "--device", device, "--gno", "cadent", "--json"])
        #expect(result.exitCode == 2)
        let error = try #require(try result.json()["error"] as? [String: Any])
        #expect(error["code"] as? String == "unknown-org")
    }

    @Test func aStoreThatCannotBeUsedExitsThree() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-e2e-\(UUID().uuidString)")
        try Data("not a directory".utf8).write(to: scratch)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let underAFile = try AnchorDeskProcess.run(["init", "--demo", "--store", scratch.path + "/store"])
        #expect(underAFile.exitCode == 3, "\(underAFile.stderr)")
        #expect(underAFile.stderr.hasPrefix("error: "))
        let missing = try AnchorDeskProcess.run(["devices", "--store", scratch.path + "-missing"])
        #expect(missing.exitCode == 3)
        #expect(missing.stderr.contains("no AnchorDesk store here"))
    }

    /// A store with one committed hand-back and, after it, a second record that never finished
    /// (half a line); returns where the unfinished record starts.
    func storeWithATornTail(_ store: DemoStore) throws -> Int {
        #expect(try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"]).exitCode == 0)
        let journal = URL(fileURLWithPath: store.path + "/journal.jsonl")
        let committed = try Data(contentsOf: journal)
        try (committed + Data("{\"length\":900,\"crc32c\":\"0000".utf8)).write(to: journal)
        return committed.count
    }

    @Test func aJournalCutMidRecordLosesNothingCommitted() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let tornAt = try storeWithATornTail(store)
        let next = try store.run(["request", "6.21", "--as", "heron-energy", "--device", device, "--gno", "cadent"])
        #expect(next.exitCode == 0, "\(next.stderr)")
        #expect(next.stderr.contains("warning: journal.jsonl: removed an unfinished record"))
        #expect(next.stderr.contains("at byte \(tornAt)"))
        #expect(try store.requestsSinceInit().map { $0["service"] as? String } == ["6.15.1", "6.21"])
    }

    @Test func readersSayWhenTheJournalHasATornTailAndChangeNothing() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let tornAt = try storeWithATornTail(store)
        let before = try store.files()
        for command in [["devices"], ["requests"], ["device", "show", device], ["report", "counter-risk"], ["alerts"], ["audit", "verify"]] {
            let result = try store.run(command)
            #expect(result.exitCode == 0, "\(command): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(command): \(result.stderr)")
            #expect(lines.first?.hasPrefix("warning: \(store.path)/journal.jsonl: an unfinished last record") == true, "\(command)")
            #expect(lines.first?.contains("at byte \(tornAt)") == true && lines.first?.contains("the next write will cut it") == true)
        }
        #expect(try store.files() == before, "readers changed nothing")
    }

    @Test func aFlippedByteInTheJournalIsRefusedAndKept() throws {
        let store = try DemoStore()
        defer { store.remove() }
        for supplierDevice in ["00-DB-12-01-73-F7-8B-92", "00-DB-12-02-2F-AE-E4-4E", "00-DB-12-07-96-DC-E0-B1"] {
            #expect(try store.run(["request", "6.15.1", "--as", "national-grid", "--device", supplierDevice, "--cert", "acb"]).exitCode == 0)
        }
        let journal = URL(fileURLWithPath: store.path + "/journal.jsonl")
        var bytes = [UInt8](try Data(contentsOf: journal))
        let secondStart = (bytes.firstIndex(of: UInt8(ascii: "\n")) ?? 0) + 1
        bytes[secondStart + 100] ^= 0x02
        try Data(bytes).write(to: journal)
        let before = try store.files()
        for arguments in [["devices"], ["request", "6.21", "--as", "heron-energy", "--device", device, "--gno", "cadent"]] {
            let result = try store.run(arguments)
            #expect(result.exitCode == 3)
            #expect(result.stderr.contains("journal.jsonl"))
            #expect(result.stderr.contains("byte \(secondStart)"))
        }
        #expect(try store.files() == before)
    }

    @Test func terminalEscapesInDataNeverReachTheTerminal() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["organisations.json", "certificates.json", "devices.json"] {
            var text = try String(contentsOfFile: AnchorDeskProcess.demoData + "/" + name, encoding: .utf8)
            if name == "organisations.json" {
                text = text.replacingOccurrences(of: "\"Cadent Gas\"", with: "\"Cadent\\u001b[2J\\u001b]52;c;aGk=\\u0007 \\u202egnp.exe\"")
            }
            try text.write(to: folder.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        let store = root.appendingPathComponent("store").path
        #expect(try AnchorDeskProcess.run(["init", "--from", folder.path, "--store", store]).exitCode == 0)
        let orgs = try AnchorDeskProcess.run(["orgs", "--store", store])
        #expect(orgs.exitCode == 0)
        #expect(orgs.stdout.contains("Cadent"))
        #expect(!orgs.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        let json = try AnchorDeskProcess.run(["orgs", "--json", "--store", store])
        #expect(!json.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test func aHeldLockMakesAWriterExitThreeAfterWaiting() throws {
        let store = try DemoStore()
        defer { store.remove() }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/flock") else {
            Issue.record("flock(1) is needed for this test (util-linux)")
            return
        }
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [store.path + "/lock", "sleep", "5"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        Thread.sleep(forTimeInterval: 0.3)
        let result = try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"],
                                   environment: ["ANCHORDESK_LOCK_TIMEOUT": "0.3"])
        #expect(result.exitCode == 3)
        #expect(result.stderr.contains("locked"))
        #expect(try store.run(["devices", "--limit", "1"]).exitCode == 0, "readers are not blocked")
    }
}
