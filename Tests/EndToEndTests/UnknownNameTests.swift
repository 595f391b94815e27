import Foundation
import Testing

/// A mistyped organisation, certificate or device: one `error:` line saying which name the
/// store holds instead, exit 2, and an untouched store.
@Suite("End to end: unknown names")
struct UnknownNameTests {
    static let device = "00-DB-12-01-73-F7-8B-92"
    /// The demo's first device with its last two digits swapped: no device has this ID.
    static let swapped = "00DB120173F78B29"

    /// Runs `arguments` and checks the whole of stderr is `line`, the exit code 2, nothing on
    /// stdout, and the store unchanged.
    static func expectRefused(_ arguments: [String], _ line: String, in store: DemoStore, environment: [String: String] = [:],
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try store.files()
        let result = try store.run(arguments, environment: environment)
        #expect(result.exitCode == 2, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr == line + "\n", "\(arguments)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(arguments): \(result.stdout)", sourceLocation: sourceLocation)
        #expect(try store.files() == before, "\(arguments) changed the store", sourceLocation: sourceLocation)
    }

    @Test func anUnknownOrganisationInAFilterOrOptionSaysWhichIsMeant() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let keys = ["ANCHORDESK_KEYS": store.path + "/demo-user-keys"]
        let nationalGrid = "error: no organisation 'nationalgrid': did you mean 'national-grid'?"
        try Self.expectRefused(["devices", "--filter", "no=nationalgrid"], nationalGrid, in: store)
        try Self.expectRefused(["devices", "--filter", "no=National-Grid"],
                               "error: no organisation 'National-Grid': did you mean 'national-grid'?", in: store)
        try Self.expectRefused(["devices", "--filter", "type=GPF supplier=kestrel"],
                               "error: no organisation 'kestrel': did you mean 'kestrel-supply'?", in: store)
        try Self.expectRefused(["devices", "--filter", "no=zzzzzz"], "error: no organisation 'zzzzzz'", in: store)
        try Self.expectRefused(["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=nationalgrid", "--cert", "acb"], nationalGrid,
                               in: store, environment: keys)
        try Self.expectRefused(["bulk", "6.15.1", "--as", "nationalgrid", "--filter", "no=national-grid", "--cert", "acb"], nationalGrid,
                               in: store, environment: keys)
        try Self.expectRefused(["recovery", "--filter", "no=cadnet", "--replace-with", "acb", "--reason", "test", "--yes"],
                               "error: no organisation 'cadnet': did you mean 'cadent'?", in: store)
        try Self.expectRefused(["cert", "export", store.root.appendingPathComponent("keystore").path, "--filter", "no=nationalgrid"],
                               nationalGrid, in: store)
        #expect(!FileManager.default.fileExists(atPath: store.root.appendingPathComponent("keystore").path))
        try Self.expectRefused(["request", "6.15.1", "--as", "nationalgrid", "--device", Self.device, "--cert", "acb"], nationalGrid,
                               in: store, environment: keys)
        try Self.expectRefused(["request", "6.21", "--as", "heron-energy", "--device", Self.device, "--gno", "cadnet"],
                               "error: no organisation 'cadnet': did you mean 'cadent'?", in: store)
        try Self.expectRefused(["org", "show", "nationalgrid"], nationalGrid, in: store)
        try Self.expectRefused(["org", "cease", "wales-wset"], "error: no organisation 'wales-wset': did you mean 'wales-west'?", in: store)
        try Self.expectRefused(["duis", "sign", "-", "--as", "nationalgrid"], nationalGrid, in: store)
        try Self.expectRefused(["duis", "request", "6.21", "--as", "heron-energy", "--device", Self.device, "--gno", "cadnet"],
                               "error: no organisation 'cadnet': did you mean 'cadent'?", in: store)
    }

    @Test func anUnknownCertificateSaysWhichIsMeant() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let keys = ["ANCHORDESK_KEYS": store.path + "/demo-user-keys"]
        let acb = "error: no certificate 'acb-dss' (give a certificate ID or an owner's organisation ID): did you mean 'acb-ds'?"
        try Self.expectRefused(["request", "6.15.1", "--as", "national-grid", "--device", Self.device, "--cert", "acb-dss"], acb,
                               in: store, environment: keys)
        try Self.expectRefused(["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb-dss"], acb,
                               in: store, environment: keys)
        try Self.expectRefused(["recovery", "--filter", "no=national-grid", "--replace-with", "acb-dss", "--reason", "test", "--yes"], acb,
                               in: store)
        try Self.expectRefused(["cert", "show", "acb-dss"], acb, in: store)
    }

    @Test func anUnknownDeviceSaysWhichIsOneSlipAway() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let line = "error: no device '00-DB-12-01-73-F7-8B-29': did you mean '\(Self.device)'?"
        try Self.expectRefused(["request", "6.15.1", "--as", "national-grid", "--device", Self.swapped, "--cert", "acb"], line, in: store,
                               environment: ["ANCHORDESK_KEYS": store.path + "/demo-user-keys"])
        try Self.expectRefused(["request", "6.21", "--as", "heron-energy", "--device", Self.swapped, "--gno", "cadent"], line, in: store)
        try Self.expectRefused(["device", "show", Self.swapped], line, in: store)
        try Self.expectRefused(["counters", Self.swapped], line, in: store)
        try Self.expectRefused(["requests", "--device", Self.swapped], line, in: store)
        try Self.expectRefused(["cert", "show", Self.swapped, "--usage", "ds"], line, in: store)
        // Nothing one slip away: no guess.
        try Self.expectRefused(["device", "show", "11-11-11-11-11-11-11-11"], "error: no device '11-11-11-11-11-11-11-11'", in: store)
    }

    @Test func withJSONTheRefusalIsOneDocumentCarryingTheSuggestion() throws {
        let store = try DemoStore()
        defer { store.remove() }
        for arguments in [["devices", "--filter", "no=nationalgrid", "--json"], ["org", "show", "nationalgrid", "--json"]] {
            let result = try store.run(arguments)
            #expect(result.exitCode == 2)
            let error = try #require(try result.json()["error"] as? [String: Any], "\(arguments)")
            #expect(error["code"] as? String == "unknown-org")
            #expect(error["message"] as? String == "no organisation 'nationalgrid': did you mean 'national-grid'?")
            #expect(error["suggestion"] as? String == "national-grid")
        }
        let device = try store.run(["device", "show", Self.swapped, "--json"])
        let error = try #require(try device.json()["error"] as? [String: Any])
        #expect(error["code"] as? String == "unknown-device" && error["suggestion"] as? String == Self.device)
    }
}
