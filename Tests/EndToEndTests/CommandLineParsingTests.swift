import AnchorCore
import Foundation
import Testing

/// The parser: service and command names checked before the options, suggestions for a
/// misspelt command or option, negative numbers that are not counters, and `--version`.
@Suite("End to end: the command line's parser")
struct CommandLineParsingTests {
    static let device = UnknownNameTests.device

    static func expectRefused(_ arguments: [String], _ line: String, in store: DemoStore,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        try UnknownNameTests.expectRefused(arguments, line, in: store, sourceLocation: sourceLocation)
    }

    @Test func serviceNamesAreCheckedBeforeTheOptions() throws {
        let store = try DemoStore()
        defer { store.remove() }
        try Self.expectRefused(["request", "6.15", "--as", "national-grid", "--device", Self.device, "--cert", "acb"],
                               "error: unknown service '6.15' (6.15.1, 6.21)", in: store)
        try Self.expectRefused(["bulk", "6.21", "--as", "heron-energy", "--filter", "no=dcc-acb", "--cert", "cadent"],
                               "error: unknown service '6.21' (6.15.1)", in: store)
        try Self.expectRefused(["duis", "request", "6.2", "--as", "heron-energy", "--device", Self.device, "--gno", "cadent"],
                               "error: unknown service '6.2' (6.15.1, 6.21)", in: store)
    }

    @Test func misspeltCommandsAndOptionsGetASuggestion() throws {
        let store = try DemoStore()
        defer { store.remove() }
        try Self.expectRefused(["devcies"], "error: unknown command 'devcies': did you mean 'devices'? (see 'anchordesk help')", in: store)
        try Self.expectRefused(["store", "chek"],
                               "error: unknown command 'store chek': did you mean 'store check'? (see 'anchordesk help store')", in: store)
        try Self.expectRefused(["frobnicate"], "error: unknown command 'frobnicate' (see 'anchordesk help')", in: store)
        try Self.expectRefused(["devices", "--filtr", "no=cadent"],
                               "error: Unknown option '--filtr'. Did you mean '--filter'? (see 'anchordesk help')", in: store)
        let json = try store.run(["devcies", "--json"])
        #expect(json.exitCode == 2)
        #expect(try json.json()["error"] as? [String: Any] != nil)
    }

    @Test func aNegativeNumberIsNotACounter() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let handBack = ["request", "6.15.1", "--as", "national-grid", "--device", Self.device, "--cert", "acb"]
        try Self.expectRefused(handBack + ["--counter", "-1"],
                               "error: --counter '-1' is not a counter (a whole number from 0 to 18446744073709551615)", in: store)
        try Self.expectRefused(handBack + ["--new-floor", "-12"],
                               "error: --new-floor '-12' is not a counter (a whole number from 0 to 18446744073709551615)", in: store)
        try Self.expectRefused(["recovery", "--filter", "no=national-grid", "--replace-with", "acb", "--reason", "test", "--yes", "--new-floor", "-1"],
                               "error: --new-floor '-1' is not a counter (a whole number from 0 to 18446744073709551615)", in: store)
        try Self.expectRefused(["duis", "request", "6.21", "--as", "heron-energy", "--device", Self.device, "--gno", "cadent", "--counter", "-1"],
                               "error: --counter '-1' is not a counter (a whole number from 0 to 18446744073709551615)", in: store)
        try Self.expectRefused(["devices", "--limit", "-1"], "error: --limit must be 0 or more", in: store)
        try Self.expectRefused(["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb", "--group-size", "-5"],
                               "error: --group-size must be 1 to 100000", in: store)
    }

    @Test func versionIsPrintedFromTheOnePlaceItIsWritten() throws {
        let result = try AnchorDeskProcess.run(["--version"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == AnchorDeskVersion.current + "\n")
        #expect(result.stderr.isEmpty)
        #expect(!AnchorDeskVersion.current.isEmpty)
    }
}
