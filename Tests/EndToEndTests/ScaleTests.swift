import Foundation
import Testing

/// Synthetic estates and bulk requests, through the executable.
@Suite("End to end: estates and bulk")
struct ScaleTests {
    @Test func syntheticEstatesAreDeterministic() throws {
        let first = try DemoStore(), second = try DemoStore()
        defer { first.remove(); second.remove() }
        for store in [first, second] {
            let result = try store.run(["init", "--estate", "3000", "--seed", "5", "--force"])
            #expect(result.exitCode == 0, "\(result.stderr)")
        }
        let snapshot = "/snapshot.json"
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.path + snapshot)) == Data(contentsOf: URL(fileURLWithPath: second.path + snapshot)))
        #expect(try first.run(["devices", "--json", "--limit", "1"]).json()["total"] as? Int == 3000)
        #expect(try first.run(["init", "--estate", "3000", "--seed", "6", "--force"]).exitCode == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.path + snapshot)) != Data(contentsOf: URL(fileURLWithPath: second.path + snapshot)))
    }

    @Test("bad estate arguments", arguments: [["--estate", "0"], ["--estate", "abc"], ["--estate", "5", "--demo"], ["--estate", "-3"]])
    func badEstateArguments(arguments: [String]) throws {
        let store = try DemoStore()
        defer { store.remove() }
        let before = try store.files()
        let result = try store.run(["init", "--force"] + arguments)
        #expect(result.exitCode == 2)
        #expect(result.stderr.hasPrefix("error: "))
        #expect(try store.files() == before)
    }

    @Test func bulkHandsBackEveryDeviceOnceAndARerunSendsNothing() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let arguments = ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb", "--json", "--group-size", "7"]
        let result = try store.run(arguments)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 60)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["outcome"] as? String == "succeeded")
            #expect(object["recordedCounter"] as? String == object["originatorCounter"] as? String)
        }
        #expect(try store.run(["devices", "--filter", "no=national-grid", "--json"]).json()["total"] as? Int == 0)
        // The 60 hand-backs, and the 2 National Grid devices whose counters history.json recorded.
        #expect(try store.run(["devices", "--filter", "counter", "--json"]).json()["total"] as? Int == 62)
        let rerun = try store.run(arguments)
        #expect(rerun.exitCode == 0)
        #expect(rerun.stdout.isEmpty)
        #expect(try store.requestsSinceInit().count == 60)
    }

    @Test func bulkRejectionsAreReportedWithExitOne() throws {
        let store = try DemoStore()
        defer { store.remove() }
        // Cadent addressing SGN's devices: every one refused, every one logged.
        let result = try store.run(["bulk", "6.15.1", "--as", "cadent", "--filter", "no=sgn", "--cert", "acb"])
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("0 succeeded, 15 rejected"))
    }

    @Test func ctrlCStopsAfterADurableGroupAndARerunFinishesTheRest() throws {
        let store = try DemoStore()
        defer { store.remove() }
        #expect(try store.run(["init", "--estate", "20000", "--seed", "3", "--force"]).exitCode == 0)
        let targets = try #require(try store.run(["devices", "--filter", "no=national-grid", "--json", "--limit", "0"]).json()["total"] as? Int)
        let arguments = ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb", "--json", "--group-size", "5", "--store", store.path]

        var run = try RunningAnchorDesk(arguments)
        run.waitForLines(1)
        run.process.interrupt()
        run.finish()
        let process = run.process
        let acknowledged = run.lines.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(process.terminationStatus == 130, "the run should stop early; \(acknowledged.count) of \(targets) done")
        #expect(!acknowledged.isEmpty && acknowledged.count < targets)

        // Everything acknowledged is in the log with the same outcome.
        let logged = try #require(try store.run(["requests", "--json"]).json()["requests"] as? [[String: Any]])
        let loggedIds = Dictionary(uniqueKeysWithValues: logged.map { ($0["requestId"] as? String ?? "", $0["outcome"] as? String) })
        for request in acknowledged {
            #expect(loggedIds[request["requestId"] as? String ?? "?"] == .some("succeeded"))
        }

        let rerun = try store.run(Array(arguments.dropLast(2)))
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        let all = try #require(try store.run(["requests", "--json"]).json()["requests"] as? [[String: Any]])
        #expect(all.count == targets)
        #expect(Set(all.compactMap { $0["device"] as? String }).count == targets, "no device was sent twice")
        #expect(try store.run(["devices", "--filter", "no=national-grid", "--json"]).json()["total"] as? Int == 0)
    }
}
