import Foundation
import Testing

/// The console as a client of the DSP's operator API, used as an operator uses it, in tmux, on
/// a machine that holds only its User's keys, its operator certificate and the CA: it reads the
/// estate a page at a time from the DSP, sends requests signed with the User's own keys, and
/// shows another operator's commit without a key pressed.
@Suite(.serialized) struct RemoteConsoleTests {
    static let device = "00-DB-12-01-73-F7-8B-92"

    /// `KEY=VALUE` words for the console's environment.
    static func words(_ environment: [String: String]) -> [String] {
        environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    @Test func theStoryRunsFromAConsoleOnAnOperatorsMachine() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let nationalGrid = try OperatorMachine("national-grid", of: store)
        let heron = try OperatorMachine("heron-energy", of: store)
        let session = TUISmokeTests.Session(tmux: try #require(TUISmokeTests.tmux))
        defer { session.kill() }
        try session.openConsole(store: dsp.address, environment: Self.words(nationalGrid.environment),
                                ready: "221 devices, read from the DSP a page at a time")
        _ = try session.waitFor(text: "a page from the DSP")

        // National Grid hands the device back from the launcher: signed on this machine, decided by the DSP.
        try session.keys(":")
        try session.type(Self.device)
        try session.keys("Enter")
        _ = try session.waitFor("the device page") { $0.contains("Device \(Self.device)") && $0.contains("NO cell national-grid") }
        try session.keys("r")
        _ = try session.waitFor(text: "dry run")
        try session.keys("Enter")
        _ = try session.waitFor(text: "Send SRV6.15.1?")
        try session.keys("Right")
        try session.keys("Enter")
        _ = try session.waitFor(text: "SRV6.15.1 succeeded on \(Self.device)")
        try session.keys("Enter")
        _ = try session.waitFor("the device read again from the DSP") { $0.contains("NO cell dcc-acb") }

        // Heron Energy's operator places Cadent from its own machine: the console shows it unasked.
        let handover = try heron.run(["request", "6.21", "--as", "heron-energy", "--device", Self.device, "--gno", "cadent", "--json"], dsp)
        #expect(handover.exitCode == 0, "\(handover.stderr)")
        _ = try session.waitFor("the handover pushed to the console", seconds: 10) { $0.contains("NO cell cadent") }
        let logged = try store.run(["requests", "--device", Self.device, "--json"]).json()["requests"] as? [[String: Any]] ?? []
        #expect(logged.suffix(2).map { $0["operator"] as? String }
            == ["CN=national-grid,O=AnchorDesk demo operators", "CN=heron-energy,O=AnchorDesk demo operators"], "\(logged.suffix(2))")

        // National Grid's operator may not act for Heron Energy: the DSP refuses in one line, and nothing is recorded.
        try session.keys("r")
        _ = try session.waitFor(text: "dry run")
        try session.keys("Right")
        _ = try session.waitFor("the SRV6.21 form") { $0.contains("6.21") && $0.contains("heron-energy") }
        try session.keys("Enter")
        _ = try session.waitFor(text: "Send SRV6.21?")
        try session.keys("Right")
        try session.keys("Enter")
        let refused = try session.waitFor(text: "Nothing was sent or written")
        #expect(refused.contains("Not sent") && refused.contains("refused: operator 'CN=national-grid") && refused.contains("not act for heron-energy"),
                "\(refused)")
        let after = try store.run(["requests", "--device", Self.device, "--json"]).json()["requests"] as? [[String: Any]] ?? []
        #expect(after.count == logged.count)

        // Both reports, read by the DSP: the same counts as the report at the DSP.
        try session.keys("Enter")
        try session.keys("P")
        _ = try session.waitFor(text: "Post-commissioning as of")
        try session.keys("t")
        let risk = try store.run(["report", "counter-risk", "--json"]).json()
        let total = try #require(risk["total"] as? Int)
        _ = try session.waitFor(text: "Counter risk: \(total) GPFs")

        // The audit check, made by the DSP over its own chain: the entries the DSP counts.
        let audit = try store.run(["audit", "verify", "--json"]).json()
        let entries = try #require(audit["entries"] as? Int)
        try session.keys(":")
        try session.type("audit")
        try session.keys("Enter")
        _ = try session.waitFor(text: "audit trail intact: \(entries) entries")
    }

    /// Two marked devices handed back as one job from an operator's console: each request signed
    /// on this machine with National Grid's key, decided and recorded by the DSP, naming the operator.
    @Test func markedDevicesAreHandedBackAsOneJobThroughTheDSP() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let nationalGrid = try OperatorMachine("national-grid", of: store)
        let session = TUISmokeTests.Session(tmux: try #require(TUISmokeTests.tmux))
        defer { session.kill() }
        try session.openConsole(store: dsp.address, environment: Self.words(nationalGrid.environment),
                                ready: "221 devices, read from the DSP a page at a time")
        try session.keys("/")
        try session.type("no=national-grid")
        try session.keys("Enter")
        let filtered = try session.waitFor(text: "60 shown of 60 matching")
        let devices = filtered.split(separator: "\n").filter { $0.hasPrefix(">") || $0.hasPrefix("  00-") }.prefix(2)
            .compactMap { $0.split(separator: " ").first { $0.hasPrefix("00-") }.map(String.init) }
        try #require(devices.count == 2, "\(filtered)")
        try session.keys("Space")
        try session.keys("Space")
        _ = try session.waitFor(text: "2 marked")
        try session.keys("r")
        _ = try session.waitFor(text: "Send SRV6.15.1 to 2 marked devices?")
        try session.keys("Right", "Enter")
        _ = try session.waitFor(text: "2 of 2 sent: 2 succeeded, 0 rejected")
        try session.keys("Enter")
        _ = try session.waitFor(text: "58 shown of 58 matching")
        let logged = try store.requestsSinceInit()
        #expect(logged.map { $0["device"] as? String } == devices.map { Optional($0) }, "\(logged)")
        #expect(logged.allSatisfy { $0["outcome"] as? String == "succeeded" && $0["operator"] as? String == "CN=national-grid,O=AnchorDesk demo operators" },
                "\(logged)")
    }

    /// The DCC's operator runs a Recovery Event from its console: the DSP plans the filtered
    /// devices for the typed count, and signs each command with the Recovery key it holds.
    @Test func aRecoveryEventRunsFromTheDCCsConsoleThroughTheDSP() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let dcc = try OperatorMachine("dcc", of: store)
        let session = TUISmokeTests.Session(tmux: try #require(TUISmokeTests.tmux))
        defer { session.kill() }
        try session.openConsole(store: dsp.address, environment: Self.words(dcc.environment),
                                ready: "221 devices, read from the DSP a page at a time")
        try session.keys("/")
        try session.type("no=national-grid")
        try session.keys("Enter")
        _ = try session.waitFor(text: "60 shown of 60 matching")
        let confirm = try session.recoveryEvent(reason: "key compromised", devices: 60)
        #expect(confirm.contains("Type 60 and press Enter"), "\(confirm)")
        try session.keys("Enter")
        _ = try session.waitFor(text: "0 shown of 0 matching")
        let logged = try store.requestsSinceInit()
        #expect(logged.count == 60 && logged.allSatisfy {
            $0["service"] as? String == "recovery" && $0["outcome"] as? String == "succeeded" && $0["operator"] as? String == "CN=dcc,O=AnchorDesk demo operators"
        }, "\(logged.prefix(2))")
    }

    @Test func aDSPThatCannotBeReachedIsSaidOnTheFirstScreen() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let machine = try OperatorMachine("cadent", of: store)
        let session = TUISmokeTests.Session(tmux: try #require(TUISmokeTests.tmux))
        defer { session.kill() }
        try session.openConsole(store: "https://127.0.0.1:9", environment: Self.words(machine.environment), ready: "cannot reach the DSP")
        let screen = try session.screen()
        #expect(screen.contains("https://127.0.0.1:9") && !screen.contains("PRIVATE KEY"), "\(screen)")
    }
}
