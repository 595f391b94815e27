import AnchorCore
import AnchorStore
import Foundation
import GPFSimulator
import Testing

/// Kills `anchordesk bulk` with SIGKILL at seeded random moments and proves that nothing it
/// acknowledged is lost, that the store equals a replay of exactly its committed requests,
/// and that a rerun finishes the rest with nothing sent twice.
///
/// Short by default; the long run: `ANCHORDESK_CRASH_ITERATIONS=200 swift test --filter CrashHarness`.
@Suite("Crash harness: SIGKILL during bulk")
struct CrashHarnessTests {
    struct Totals { var kills = 0, acknowledged = 0, lost = 0 }

    @Test func killedBulkRunsLoseNothingTheyAcknowledged() throws {
        let environment = ProcessInfo.processInfo.environment
        let iterations = environment["ANCHORDESK_CRASH_ITERATIONS"].flatMap(Int.init) ?? 6
        var random = SplitMix64(seed: environment["ANCHORDESK_CRASH_SEED"].flatMap(UInt64.init) ?? 20_261_125)
        let store = try DemoStore()
        defer { store.remove() }
        var totals = Totals()
        var runs = 0
        var rounds = 0
        // Each round starts a fresh estate and kills bulk runs until one finishes by itself.
        while runs < iterations {
            rounds += 1
            try round(store: store, seed: UInt64(10 + rounds), iterationsLeft: iterations - runs, random: &random,
                      totals: &totals, runs: &runs)
        }
        print("crash harness: \(runs) runs in \(rounds) rounds, \(totals.kills) kills, \(totals.acknowledged) requests acknowledged, \(totals.lost) lost")
        #expect(totals.lost == 0)
    }

    func round(store: DemoStore, seed: UInt64, iterationsLeft: Int, random: inout SplitMix64,
               totals: inout Totals, runs: inout Int) throws {
        #expect(try store.run(["init", "--estate", "3000", "--seed", String(seed), "--force"]).exitCode == 0)
        let initial = try Store.open(at: store.path, access: .readOnly).estate
        let bulk = ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb", "--json"]
        var acknowledged: [String: String] = [:]  // requestId → outcome, as printed
        var finishedByItself = false
        var runsThisRound = 0
        while !finishedByItself && runsThisRound < iterationsLeft {
            runs += 1
            runsThisRound += 1
            let group = Int.random(in: 1...40, using: &random)
            let linesBeforeKill = Int.random(in: 0...60, using: &random)
            let extraDelay = Double(Int.random(in: 0...15, using: &random)) / 1000
            let printed = try runAndKill(bulk + ["--group-size", String(group), "--store", store.path],
                                         afterLines: linesBeforeKill, extraDelay: extraDelay)
            totals.kills += printed.killed ? 1 : 0
            finishedByItself = !printed.killed
            for line in printed.lines {
                acknowledged[line["requestId"] as? String ?? "?"] = line["outcome"] as? String
            }
            // Everything printed so far is in the log, with the same outcome.
            let logged = try requestLog(store)
            for (id, outcome) in acknowledged where logged[id] != outcome {
                totals.lost += 1
                Issue.record("acknowledged request \(id) (\(outcome)) is \(logged[id] ?? "missing") after the kill")
            }
        }
        totals.acknowledged += acknowledged.count

        // A rerun finishes the rest; nothing is sent twice.
        let rerun = try store.run(bulk)
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        let reopened = try Store.open(at: store.path, access: .readOnly).estate
        let nationalGrid = try DeviceFilter(parsing: "no=national-grid")
        let targets = initial.devices.filter { nationalGrid.matches($0, in: initial.ledger) }
        #expect(reopened.ledger.requests.count == targets.count)
        #expect(Set(reopened.ledger.requests.map(\.device)) == Set(targets.map(\.id)), "each device exactly once")
        #expect(reopened.ledger.requests.allSatisfy { $0.outcome == .succeeded })

        // The store equals a replay of exactly its committed requests, from the initial estate,
        // signed with the store's own credentials.
        let credentials = try #require(try CredentialVault(storeDirectory: store.path).load(for: initial.ledger)).credentials(for: initial.ledger)
        var replayed = initial
        for record in reopened.ledger.requests {
            let request = ServiceRequest.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: record.requester, device: record.device, replacementCertificates: record.certificates,
                counter: record.originatorCounter))
            replayed.apply(try replayed.evaluate(request, now: record.at, credentials: credentials))
        }
        #expect(replayed == reopened, "device state, floors, recorded counters and the log equal the replay")
    }

    /// Runs the executable, SIGKILLs it once it has printed `afterLines` lines (plus a delay),
    /// and returns every line it printed before dying.
    func runAndKill(_ arguments: [String], afterLines: Int, extraDelay: Double) throws -> (lines: [[String: Any]], killed: Bool) {
        var run = try RunningAnchorDesk(arguments, environment: ["ANCHORDESK_NOW": "2026-11-25T09:00:00Z"])
        run.waitForLines(afterLines)
        if extraDelay > 0 { Thread.sleep(forTimeInterval: extraDelay) }
        let killed = run.process.isRunning
        kill(run.process.processIdentifier, SIGKILL)
        run.finish()
        // Only complete lines count: a line cut by the kill was never fully acknowledged.
        let lines = run.lines.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        return (lines, killed)
    }

    func requestLog(_ store: DemoStore) throws -> [String: String] {
        let log = try #require(try store.run(["requests", "--json"]).json()["requests"] as? [[String: Any]])
        return Dictionary(log.map { ($0["requestId"] as? String ?? "", $0["outcome"] as? String ?? "") }, uniquingKeysWith: { first, _ in first })
    }
}

