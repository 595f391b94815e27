import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real console in tmux on a demo store: filters to a National Grid device, hands it
/// back to the ACB (SRV6.15.1), hands it over to Cadent (SRV6.21), and reads the screen.
@Suite("Console smoke test in tmux", .serialized)
struct TUISmokeTests {
    static let tmux: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/tmux"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// A tmux server of our own (its own socket), killed when the test ends whatever happens.
    struct Session {
        let tmux: String
        let socket = "anchordesk-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        let name = "smoke"

        /// Runs a tmux command and waits for it.
        ///
        /// The first command forks the tmux server, which keeps every descriptor it inherits;
        /// Foundation's `Process` notices a child's exit through such a descriptor and would
        /// wait forever. So commands are started with `posix_spawn` (descriptors above 2
        /// closed, signals unblocked) and reaped with `waitpid`; only `capture-pane`, which
        /// never starts a server, goes through `Process` to read its output.
        @discardableResult
        func run(_ arguments: [String], capture: Bool = false) throws -> String {
            guard capture else {
                let status = Spawn.run([tmux, "-L", socket] + arguments)
                if status != 0 { throw TmuxFailure(arguments: arguments, status: status) }
                return ""
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tmux)
            process.arguments = ["-L", socket] + arguments
            process.standardInput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }

        func screen() throws -> String { try run(["capture-pane", "-p", "-t", name], capture: true) }

        func keys(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }

        func type(_ text: String) throws { try run(["send-keys", "-t", name, "-l", text]) }

        /// A left click at a cell, `times` in a row, as an xterm (X10) mouse report: ESC [ M,
        /// then 32 + button (0 press, 3 release), 33 + column, 33 + row.
        func click(x: Int, y: Int, times: Int = 1) throws {
            func report(_ button: Int) -> String {
                "\u{1B}[M" + String(UnicodeScalar(UInt8(32 + button))) + String(UnicodeScalar(UInt8(33 + x))) + String(UnicodeScalar(UInt8(33 + y)))
            }
            try type(String(repeating: report(0) + report(3), count: times))
        }

        /// Polls the screen until `condition` holds, or fails after `seconds`.
        @discardableResult
        func waitFor(_ what: String, seconds: Double = 15, sourceLocation: SourceLocation = #_sourceLocation,
                     _ condition: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var last = ""
            while Date() < deadline {
                last = try screen()
                if condition(last) { return last }
                Thread.sleep(forTimeInterval: 0.1)
            }
            Issue.record("timed out waiting for \(what); the screen was:\n\(last)", sourceLocation: sourceLocation)
            throw CancellationError()
        }

        func waitFor(text: String, seconds: Double = 15, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            try waitFor("'\(text)'", seconds: seconds, sourceLocation: sourceLocation) { $0.contains(text) }
        }

        /// Filters the devices list with `/`, Enter, and waits for the count of matches; returns the screen.
        func filterDevices(_ expression: String) throws -> String {
            try keys("/")
            try type(expression)
            try keys("Enter")
            return try waitFor(text: "devices match '\(expression)'")
        }

        /// Runs a Recovery Event on the filtered devices from the devices list: `E`, the reason,
        /// Enter, then the count typed to confirm; waits until every device succeeded, and
        /// returns the confirmation's screen.
        func recoveryEvent(reason: String, devices count: Int, seconds: Double = 30,
                           sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            try keys("E")
            _ = try waitFor(text: "Recovery Event", sourceLocation: sourceLocation)
            try type(reason)
            try keys("Enter")
            let confirm = try waitFor(text: "run a Recovery Event on \(count) devices", seconds: seconds, sourceLocation: sourceLocation)
            try type(String(count))
            try keys("Enter")
            _ = try waitFor(text: "\(count) of \(count) sent: \(count) succeeded", seconds: seconds, sourceLocation: sourceLocation)
            return confirm
        }

        /// Opens the console on the page of a GPF whose Network Operator cell holds National Grid's certificate.
        func openNationalGridDevice(on store: DemoStore) throws {
            try openConsole(on: store)
            try keys(":")
            try type("00-DB-12-01-73-F7-8B-92")
            try keys("Enter")
            _ = try waitFor("the device page") { $0.contains("Device 00-DB-12-01-73-F7-8B-92") && $0.contains("NO cell national-grid") }
        }

        /// Starts the console on a demo store in a 100×30 window, its clock at 2026-11-25T09:00:00Z,
        /// and waits for the device list.
        func openConsole(on store: DemoStore) throws {
            try openConsole(store: store.path)
        }

        /// As ``openConsole(on:)``, on any store, with more of the environment (`NAME=value`),
        /// waiting until the screen shows `ready`.
        func openConsole(store: String, environment: [String] = [], ready: String = "of 221 devices") throws {
            let settings: [String] = ["env", "ANCHORDESK_NOW=2026-11-25T09:00:00Z", "ANCHORDESK_DEMO_DATA=\(AnchorDeskProcess.demoData)", "LANG=C.UTF-8"]
            let words: [String] = settings + environment + [AnchorDeskProcess.executable, "--store", store]
            let command = words
                .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            try run(["new-session", "-d", "-s", name, "-x", "100", "-y", "30", command])
            _ = try waitFor(text: ready)
        }

        func kill() { _ = try? run(["kill-server"]) }
    }

    struct TmuxFailure: Error, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var description: String { "tmux \(arguments.joined(separator: " ")) exited with \(status)" }
    }

    /// `posix_spawn` with stdio on /dev/null, descriptors above 2 closed and an empty signal mask.
    enum Spawn {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

        static func run(_ arguments: [String]) -> Int32 {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            for descriptor: Int32 in 0...2 {
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
            }
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
                _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            }
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var empty = sigset_t()
            sigemptyset(&empty)
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
            var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ) == 0 else { return -1 }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        }
    }

    /// The same two requests from the console with the DCC's keys in a SoftHSM2 token: the
    /// console signs and MACs through it, as the CLI does.
    @Test(.enabled(if: tmux != nil, "tmux is not on PATH: the console smoke test needs it (CI installs it)"))
    func handBackAndHandoverFromTheConsoleWithTheKeysInAToken() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let token = try SoftHSMToken()
        defer { token.remove() }
        #expect(try store.run(["cert", "move-to-token"], environment: token.environment).exitCode == 0)
        let session = Session(tmux: try #require(Self.tmux))
        defer { session.kill() }
        try session.openConsole(store: store.path, environment: token.environment.map { "\($0.key)=\($0.value)" })
        let device = "00-DB-12-01-73-F7-8B-92"
        try session.keys(":")
        try session.type(device)
        try session.keys("Enter")
        _ = try session.waitFor("the device page") { $0.contains("Device \(device)") && $0.contains("NO cell national-grid") }
        for (service, outcome) in [("SRV6.15.1", "NO cell dcc-acb"), ("SRV6.21", "NO cell cadent")] {
            try session.keys("r")
            _ = try session.waitFor(text: "(*) \(service)")
            try session.keys("Enter")
            _ = try session.waitFor(text: "> Cancel <")
            try session.keys("Right", "Enter")
            _ = try session.waitFor(text: "\(service) succeeded")
            try session.keys("Enter")
            _ = try session.waitFor(text: outcome)
        }
        try session.keys("q", "q", "q")
        let log = try #require(try store.run(["requests", "--device", device, "--json"]).json()["requests"] as? [[String: Any]])
        #expect(log.map { $0["outcome"] as? String } == ["succeeded", "succeeded"])
        #expect(log.last?["originator"] as? String == "dcc-acb")
    }

    @Test(.enabled(if: tmux != nil, "tmux is not on PATH: the console smoke test needs it (CI installs it)"))
    func handBackAndHandoverFromTheConsole() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let session = Session(tmux: try #require(Self.tmux))
        defer { session.kill() }

        try session.openConsole(on: store)

        // Filter to National Grid's devices and open the first.
        let filtered = try session.filterDevices("no=national-grid")
        #expect(filtered.contains("60 of 221 devices match"))
        let selectedRow = try #require(filtered.split(separator: "\n").first { $0.hasPrefix(">") }, "no selected row")
        let device = String(selectedRow.split(separator: " ")[1])
        #expect(selectedRow.contains("national-grid"))
        try session.keys("Enter")
        _ = try session.waitFor("the device page") { $0.contains("Device \(device)") && $0.contains("NO cell national-grid") }
        #expect(try session.screen().contains("recorded none"))

        // SRV6.15.1: National Grid hands the cells back to the ACB. Focus starts on Cancel.
        try session.keys("r")
        _ = try session.waitFor(text: "(*) SRV6.15.1")
        try session.keys("Enter")
        _ = try session.waitFor(text: "> Cancel <")
        try session.keys("Right")
        _ = try session.waitFor(text: "> Send <")
        try session.keys("Enter")
        _ = try session.waitFor(text: "SRV6.15.1 succeeded")
        try session.keys("Enter")
        let afterHandBack = try session.waitFor(text: "NO cell dcc-acb")
        let recordedLine = try #require(afterHandBack.split(separator: "\n").first { $0.contains("NO cell dcc-acb") })
        #expect(!recordedLine.contains("recorded none"), "\(recordedLine)")
        let recorded = try #require(recordedLine.split(separator: " ").drop { $0 != "recorded" }.dropFirst().first)

        // SRV6.21: the Supplier asks for Cadent's certificates; the preview explains the counter.
        try session.keys("r")
        let launcher = try session.waitFor(text: "(*) SRV6.21")
        #expect(launcher.contains("Incoming GNO  cadent"))
        #expect(launcher.contains("≥ generated 48211, using recorded+1"))
        try session.keys("Enter")
        _ = try session.waitFor(text: "> Cancel <")
        try session.keys("Right", "Enter")
        _ = try session.waitFor(text: "SRV6.21 succeeded")
        try session.keys("Enter")
        let afterHandover = try session.waitFor(text: "NO cell cadent")
        #expect(afterHandover.contains("recorded \(recorded)"))

        // Back on the list, the filter is still there and the device has left National Grid.
        try session.keys("Escape")
        _ = try session.waitFor(text: "59 of 221 devices")

        // Organisations: ceasing National Grid is previewed as refused; Cancel writes nothing.
        try session.keys("O")
        _ = try session.waitFor(text: "15 organisations")
        for _ in 0..<5 { try session.keys("j") }
        try session.keys("x")
        let dialog = try session.waitFor(text: "> Cancel <")
        #expect(dialog.contains("Cease national-grid as a DCC User?"))
        #expect(dialog.contains("certificates-on-devices"))
        try session.keys("Enter")
        _ = try session.waitFor(text: "cancelled: nothing was changed")
        // Reports, dated by ANCHORDESK_NOW.
        try session.keys("P")
        _ = try session.waitFor(text: "Post-commissioning as of 2026-11-25")
        try session.keys("q", "q", "q")

        let shown = try store.run(["device", "show", device, "--json"])
        #expect(shown.exitCode == 0, "\(shown.stderr)")
        let json = try shown.json()
        let cell = try #require(json["networkOperatorCell"] as? [String: Any])
        #expect(cell["owner"] as? String == "cadent")
        #expect(json["recordedCounter"] as? String == String(recorded))
        let requests = try store.run(["requests", "--device", device, "--json"]).json()
        let log = try #require(requests["requests"] as? [[String: Any]])
        #expect(log.map { $0["outcome"] as? String } == ["succeeded", "succeeded"])
        let organisation = try store.run(["org", "show", "national-grid", "--json"]).json()
        #expect((organisation["lifecycle"] as? [Any])?.isEmpty == true)
    }

    /// Issue 28 as an operator types it: the devices filter follows the keys before Enter and
    /// Esc puts the old one back; `:` completes an organisation; in the reports `n` finds a
    /// non-compliant GPF and `/` narrows them to the seven; a key that does nothing says so; O
    /// and P are top-level views, so Esc does not walk back through them.
    @Test(.enabled(if: tmux != nil, "tmux is not on PATH: the console smoke test needs it (CI installs it)"))
    func filterAsYouTypeCompleteAndFindTheProblemRows() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let session = Session(tmux: try #require(Self.tmux))
        defer { session.kill() }
        try session.openConsole(on: store)

        try session.keys("/")
        try session.type("no=national-grid")
        let typing = try session.waitFor(text: "60 of 221 devices")
        #expect(typing.contains("/no=national-grid") && typing.contains("60 match"), "filtered before Enter")
        try session.keys("Escape")
        let restored = try session.waitFor(text: "221 of 221 devices")
        #expect(!restored.contains("filter no=national-grid"))
        try session.keys("/")
        try session.type("no=cadent")
        try session.keys("Enter")
        _ = try session.waitFor(text: "filter no=cadent")

        try session.keys(":")
        try session.type("nat")
        try session.keys("Tab")
        _ = try session.waitFor(text: ":national-grid")
        try session.keys("Enter")
        let organisation = try session.waitFor(text: "Organisation national-grid")
        #expect(organisation.contains("AnchorDesk › Organisations › national-grid"))

        try session.keys("P")
        _ = try session.waitFor(text: "Post-commissioning as of 2026-11-25")
        try session.keys("x")
        _ = try session.waitFor(text: "x does nothing in the reports")
        try session.keys("n")
        let problem = try session.waitFor(text: "non-compliant: row")
        let selected = try #require(problem.split(separator: "\n").first { $0.hasPrefix(">") })
        #expect(selected.contains("✗"), "\(selected)")
        try session.keys("/")
        try session.type("non-compliant")
        _ = try session.waitFor(text: "7 of")
        try session.keys("Enter")
        _ = try session.waitFor(text: "7 of 213 rows hold 'non-compliant'")
        try session.keys("Escape")
        let cleared = try session.waitFor(text: "filter and sort cleared")
        #expect(cleared.contains(" AnchorDesk › Reports "), "P replaced the drill-down: \(cleared)")
        try session.keys("Escape")
        _ = try session.waitFor(text: "top level: press q to quit")
        try session.keys("q")
    }

    /// Issue 28's marked rows: two National Grid devices marked with Space go back to the ACB as
    /// one SRV6.15.1 job (Cancel first, progress, an outcome), and the CLI sees both requests.
    @Test(.enabled(if: tmux != nil, "tmux is not on PATH: the console smoke test needs it (CI installs it)"))
    func markedDevicesAreHandedBackAsOneJob() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let session = Session(tmux: try #require(Self.tmux))
        defer { session.kill() }
        try session.openConsole(on: store)

        let filtered = try session.filterDevices("no=national-grid")
        let rows = filtered.split(separator: "\n").filter { $0.hasPrefix(">") || $0.hasPrefix("  00-") }
        let devices = rows.prefix(2).compactMap { $0.split(separator: " ").first { $0.hasPrefix("00-") }.map(String.init) }
        #expect(devices.count == 2, "\(filtered)")
        try session.keys("Space")
        try session.keys("Space")
        _ = try session.waitFor(text: "2 marked")
        try session.keys("r")
        let dialog = try session.waitFor(text: "Send SRV6.15.1 to 2 marked devices?")
        #expect(dialog.contains("> Cancel <") && dialog.contains("2 expected to succeed"))
        try session.keys("Right", "Enter")
        let outcome = try session.waitFor(text: "SRV6.15.1 to 2 marked devices")
        #expect(!outcome.contains("rejected") || outcome.contains("0 rejected"), "\(outcome)")
        _ = try session.waitFor(text: "2 of 2 sent: 2 succeeded")
        try session.keys("Enter")
        _ = try session.waitFor(text: "58 of 221 devices")
        try session.keys("q")

        for device in devices {
            let requests = try store.run(["requests", "--device", device, "--json"]).json()
            let log = try #require(requests["requests"] as? [[String: Any]])
            #expect(log.map { $0["outcome"] as? String } == ["succeeded"], "\(device): \(log)")
        }
    }

    /// Issue 12's "done means": the executable copied elsewhere and run from `/` with no demo
    /// folder opens its console on a new store made from the built-in demo data, on the real
    /// clock, and its post-commissioning report has compliant, pending and non-compliant rows.
    @Test(.enabled(if: tmux != nil, "tmux is not on PATH: the console smoke test needs it (CI installs it)"))
    func theInstalledConsoleOpensANewDemoStoreWhoseReportShowsEveryVerdict() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-installed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let installed = root.appendingPathComponent("anchordesk").path
        try FileManager.default.copyItem(atPath: AnchorDeskProcess.executable, toPath: installed)
        let session = Session(tmux: try #require(Self.tmux))
        defer { session.kill() }
        let command = "cd / && env -u ANCHORDESK_DEMO_DATA -u ANCHORDESK_NOW -u ANCHORDESK_STORE LANG=C.UTF-8 '\(installed)' --store '\(root.path)/store'"
        try session.run(["new-session", "-d", "-s", session.name, "-x", "100", "-y", "30", command])
        _ = try session.waitFor(text: "of 221 devices")
        #expect(try session.screen().contains("First run: created this store from the demo data built into anchordesk"))
        try session.keys("P")
        let report = try session.waitFor(text: "Post-commissioning as of")
        let header = try #require(report.split(separator: "\n").first { $0.contains("Post-commissioning as of") })
        let counts = header.split(separator: " ").map(String.init)
        func count(before word: String) -> Int? { counts.firstIndex(of: word).flatMap { $0 > 0 ? Int(counts[$0 - 1]) : nil } }
        #expect(count(before: "compliant") == 202, "\(header)")
        #expect(count(before: "pending") == 4, "\(header)")
        #expect(count(before: "non-compliant") == 7, "\(header)")
        try session.keys("q", "q", "q")
    }

    /// A scheduled hand-back from the console's launcher; the alert arrives when another writer
    /// runs after the due time, and the open console shows the recorded counter.
    @Test(.enabled(if: tmux != nil, "tmux is not on PATH: the console smoke test needs it (CI installs it)"))
    func aScheduledHandBackFromTheConsoleIsRecordedWhenItsAlertArrives() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let session = Session(tmux: try #require(Self.tmux))
        defer { session.kill() }
        try session.openNationalGridDevice(on: store)

        try session.keys("r")
        _ = try session.waitFor(text: "(*) SRV6.15.1")
        for _ in 0..<5 { try session.keys("Tab") }
        try session.type("2026-12-01T00:00:00Z")
        let launcher = try session.waitFor(text: "executes")
        #expect(launcher.contains("from its 0x8F66 alert, not before"))
        try session.keys("Enter")
        _ = try session.waitFor(text: "expected to be scheduled")
        try session.keys("Right", "Enter")
        _ = try session.waitFor(text: "SRV6.15.1 scheduled")
        try session.keys("Enter")
        let page = try session.waitFor(text: "Scheduled hand-back due 2026-12-01T00:00:00Z")
        #expect(page.contains("NO cell national-grid") && page.contains("recorded none"))

        // Midnight passes for the devices when the next writer runs; the console picks it up.
        let processed = try store.run(["alerts", "process"], environment: ["ANCHORDESK_NOW": "2026-12-01T00:05:00Z"])
        #expect(processed.stdout.contains("1 executed (1 counters recorded)"), "\(processed.stdout)")
        let after = try session.waitFor(text: "NO cell dcc-acb", seconds: 20)
        #expect(after.contains("recorded 1647302400000001"))
        #expect(!after.contains("Scheduled hand-back"))
        try session.keys("q", "q", "q")
    }

    /// A console open beside `anchordesk serve` shows a hand-back sent through DUIS over HTTP.
    @Test(.enabled(if: tmux != nil, "tmux is not on PATH: the console smoke test needs it (CI installs it)"))
    func aConsoleBesideServeShowsADUISHandBack() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let session = Session(tmux: try #require(Self.tmux))
        defer { session.kill() }
        try session.openNationalGridDevice(on: store)

        let serve = try ServeProcess(store: store)
        defer { serve.stop() }
        try serve.handBack("00-DB-12-01-73-F7-8B-92", on: store)
        let after = try session.waitFor(text: "NO cell dcc-acb", seconds: 20)
        #expect(after.contains("recorded 1647302400000001"))
        try session.keys("q", "q", "q")
    }

    /// The mouse through real ncurses in tmux: a click selects the row under it, a double click
    /// opens it, and `:mouse off` leaves clicks to the terminal.
    @Test(.enabled(if: tmux != nil, "tmux is not on PATH: the console smoke test needs it (CI installs it)"))
    func clicksSelectAndOpenRows() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let session = Session(tmux: try #require(Self.tmux))
        defer { session.kill() }
        try session.openConsole(on: store)
        // The list's header is on screen row 2, so row 6 shows the fourth device.
        try session.click(x: 5, y: 6)
        let selected = try session.waitFor("the fourth row selected") { screen in
            screen.split(separator: "\n").dropFirst(6).first?.hasPrefix(">") == true
        }
        let device = try #require(selected.split(separator: "\n").dropFirst(6).first?.split(separator: " ").dropFirst().first)
        try session.click(x: 5, y: 6, times: 2)
        _ = try session.waitFor(text: "Device \(device)")
        try session.keys("Escape")
        _ = try session.waitFor(text: "of 221 devices")
        try session.keys(":")
        try session.type("mouse off")
        try session.keys("Enter")
        _ = try session.waitFor(text: "mouse off")
        try session.click(x: 5, y: 4)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try session.screen().split(separator: "\n").dropFirst(6).first?.hasPrefix(">") == true, "with the mouse off a click selects nothing")
        try session.keys("q")
    }
}
