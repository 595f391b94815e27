import Foundation
import Testing

/// One typed counter no longer burns an organisation's counters without a word (issue 27,
/// case 8): a `--counter` or `--new-floor` that jumps is refused, saying how many counters it
/// would burn, unless `--allow-counter-jump` is given.
@Suite("End to end: counter jumps are explicit")
struct CounterJumpEndToEndTests {
    let device = "00-DB-12-01-73-F7-8B-92"
    var handBack: [String] { ["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"] }

    @Test func theLastCounterThereIsIsRefusedSayingWhatItBurnsAndSentOnlyWhenAskedFor() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let before = try store.files()
        let refused = try store.run(handBack + ["--counter", "18446744073709551615"])
        #expect(refused.exitCode == 2, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("18445096771309551614 counters would be burned for good"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-counter-jump"))
        #expect(try store.files() == before, "the store changed")
        let json = try store.run(handBack + ["--counter", "18446744073709551615", "--json"])
        #expect(try (json.json()["error"] as? [String: Any])?["code"] as? String == "invalid-request")

        let floor = try store.run(handBack + ["--new-floor", "9223372036854775808"])
        #expect(floor.exitCode == 2 && floor.stderr.contains("--new-floor 9223372036854775808 jumps past the command's counter"), "\(floor.stderr)")
        let recovery = try store.run(["recovery", "--filter", "no=fenland-pipelines", "--replace-with", "acb", "--reason", "test",
                                      "--new-floor", "18446744073709551615", "--yes"])
        #expect(recovery.exitCode == 2 && recovery.stderr.contains("jumps past the ACB's last counter"), "\(recovery.stderr)")
        #expect(try store.files() == before)

        let allowed = try store.run(handBack + ["--counter", "18446744073709551615", "--allow-counter-jump", "--json"])
        #expect(allowed.exitCode == 0, "\(allowed.stderr)")
        #expect(try allowed.json()["originatorCounter"] as? String == "18446744073709551615")
    }

    @Test func aTimeBasedCounterAFewYearsAheadIsSentAsBefore() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let ahead = try store.run(handBack + ["--counter", "1893456000000000", "--json"])
        #expect(ahead.exitCode == 0, "\(ahead.stderr)")
        #expect(try ahead.json()["outcome"] as? String == "succeeded")
    }
}
