import Foundation
import Testing

/// `serve --respond-to` with the User's Receive Response Service down, then up, then down again:
/// one warning on stderr per outage (with how many responses wait, and the address without its
/// credentials), one line when delivery recovers, and every response delivered once.
@Suite("End to end: serve's delivery warnings")
struct ServeDeliveryTests {
    @Test func aDownResponseAddressIsWarnedOfOncePerOutageAndItsRecoveryIsSaid() async throws {
        let store = try DemoStore()
        defer { store.remove() }
        // The receiver's port, with the receiver stopped: nothing listens there until it starts again.
        let folder = store.root.appendingPathComponent("received").path
        let first = try ResponseReceiverProcess(folder: folder)
        first.stop()
        let port = first.port
        let secret = "s3cret-password"
        let address = "http://127.0.0.1:\(port)/smartdcc/duis"
        let serve = try ServeProcess(store: store, options: ["--respond-to", "http://duis-user:\(secret)@127.0.0.1:\(port)/smartdcc/duis?token=\(secret)"])
        defer { serve.stop() }
        let log = store.root.appendingPathComponent("serve.log").path
        func stderrLines() -> [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        func lines(startingWith prefix: String) -> [String] { stderrLines().filter { $0.hasPrefix(prefix) } }
        let outage = "warning: device responses are not being delivered: "
        let recovery = "device responses are delivered again: "
        let outbox = store.path + "/duis-outbox"

        var devices = try #require(try store.run(["devices", "--filter", "no=dcc-acb", "--json"]).json()["devices"] as? [[String: Any]])
        func handover() throws {
            let device = devices.removeFirst()
            let request = try store.run(["duis", "request", "6.21", "--as", device["supplier"] as? String ?? "", "--device", device["id"] as? String ?? "",
                                         "--gno", "cadent"])
            try #require(request.exitCode == 0, "\(request.stderr)")
            let answer = try serve.post(request.stdout, to: "serviceS")
            try #require(answer.body.contains("<sr:ResponseCode>I99</sr:ResponseCode>"), "\(answer.body)")
        }
        // Waiting suspends rather than blocks: the other tests' async work goes on meanwhile.
        // Up to 40 s, or longer where the sender's retry pause (doubling to 60 s) may run first.
        func waitFor(seconds: Int = 40, _ condition: () -> Bool) async -> Bool {
            for _ in 0..<(seconds * 10) where !condition() { try? await Task.sleep(for: .milliseconds(100)) }
            return condition()
        }

        // Down: the first response waits and is warned of; the second piles up without a word more.
        try handover()
        #expect(await waitFor { !lines(startingWith: outage).isEmpty }, "no warning: \(stderrLines())")
        try handover()
        try await Task.sleep(for: .seconds(2))
        #expect(lines(startingWith: outage) == [
            "\(outage)\(address) it could not be reached; 1 response waits in \(outbox), tried again until it answers",
        ])
        #expect(Self.outboxCount(outbox) == 2)

        // Up: both are delivered, and that is said once.
        let receiver = try ResponseReceiverProcess(port: port, folder: folder)
        #expect(await waitFor(seconds: 130) { receiver.received == 2 && Self.outboxCount(outbox) == 0 }, "delivered \(receiver.received)")
        #expect(await waitFor { !lines(startingWith: recovery).isEmpty })
        #expect(lines(startingWith: recovery) == ["\(recovery)\(address) answered; sending the 2 that waited"])

        // Down again: a new outage, a new warning.
        receiver.stop()
        try handover()
        #expect(await waitFor { lines(startingWith: outage).count == 2 }, "\(stderrLines())")
        #expect(lines(startingWith: outage).last == "\(outage)\(address) it could not be reached; 1 response waits in \(outbox), tried again until it answers")
        #expect(receiver.received == 2)
        #expect(!stderrLines().joined().contains(secret) && !stderrLines().joined().contains("duis-user"), "a credential was shown")
    }

    /// How many device responses wait in an outbox folder.
    static func outboxCount(_ path: String) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".xml") }.count
    }
}
