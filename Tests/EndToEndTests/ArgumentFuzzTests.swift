import PropertyBased
import Testing
@testable import anchordesk

/// The command line, fed arbitrary argument vectors: it parses or refuses, never crashes.
@Suite("Argument parsing under arbitrary input")
struct ArgumentFuzzTests {
    static let word = Gen<String?>.element(of: [
        "request", "6.15.1", "6.21", "--as", "--device", "--cert", "--counter", "--new-floor", "--gno", "--json", "--store",
        "devices", "--filter", "--limit", "device", "show", "counters", "orgs", "requests", "bulk", "init", "--demo", "--estate",
        "--seed", "--force", "store", "check", "compact", "tui", "-1", "18446744073709551616", "abc", "", "--", "\u{1B}[31m", "no=cadent",
        "00-DB-12-01-73-F7-8B-92", "--legacy-counters", "--group-size", "0", "help", "-h",
    ]).map { $0 ?? "" }

    @Test func anyArgumentVectorParsesOrIsRefused() async {
        await propertyCheck(count: 800, input: Self.word.array(of: 0...8)) { arguments in
            _ = try? AnchorDesk.parseAsRoot(arguments)
        }
    }

    @Test func valueParsersRefuseWithOneLine() async {
        await propertyCheck(count: 400, input: Self.word) { text in
            for parse in [{ try Arguments.deviceID(text) as Any }, { try Arguments.counter(text, option: "--counter") as Any },
                          { try Arguments.filter(text) as Any }] {
                do {
                    _ = try parse()
                } catch let failure as CLIFailure {
                    #expect(failure.exitCode == .badInput)
                    #expect(!failure.message.contains("\n"))
                    #expect(!failure.message.unicodeScalars.contains { $0.value == 0x1B })
                } catch {
                    Issue.record("unexpected error \(error)")
                }
            }
        }
    }
}
