import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension PostgreSQLTests {
    /// Two DSPs (`anchordesk serve` on two machines) share one database: Users' signed SRV6.21
    /// requests go to either, none is lost or decided twice, and every device response is delivered.
    @Suite struct TwoDSPs {
        @Test func twoServersShareOneDatabaseLosingAndDuplicatingNothing() throws {
            let store = try PostgresTestStore()
            defer { store.remove() }
            let environment = ["ANCHORDESK_NOW": "2026-11-25T09:00:00Z", "ANCHORDESK_KEYS": store.demoUserKeys]
            let handBack = try store.run(["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb"],
                                         environment: environment)
            try #require(handBack.exitCode == 0, "\(handBack.stderr)")
            let devices = try store.run(["devices", "--filter", "no=dcc-acb", "--json"]).json()["devices"] as? [[String: Any]] ?? []
            try #require(devices.count >= 30)

            // The Users' Receive Response Service: every POST kept as a file.
            let receiver = try ResponseReceiverProcess(folder: store.root.appendingPathComponent("received").path)
            defer { receiver.stop() }
            let received = receiver.folder
            let receiverPort = receiver.port

            var servers: [(RunningAnchorDesk, String)] = []
            for machine in ["dsp-1", "dsp-2"] {
                let (server, base) = try ServeProcess.start(
                    ["serve", "--respond-to", "http://127.0.0.1:\(receiverPort)/smartdcc/duis", "--store", store.url()],
                    environment: try store.dspHost(machine).merging(["ANCHORDESK_NOW": "2026-11-25T09:00:00Z"]) { $1 },
                    log: store.root.appendingPathComponent("\(machine).log").path)
                servers.append((server, base + "serviceS"))
            }
            defer {
                for (server, _) in servers {
                    server.process.terminate()
                    server.process.waitUntilExit()
                }
            }
            for (_, url) in servers { try #require(Self.waitUntilAnswering(url), "serve did not start") }

            // Each Supplier signs its requests with rising counters and sends them in order,
            // alternating between the two DSPs; the Suppliers at once.
            var bySupplier: [String: [String]] = [:]
            for device in devices.prefix(30) {
                bySupplier[device["supplier"] as? String ?? "", default: []].append(device["id"] as? String ?? "")
            }
            var signed: [(supplier: String, xml: String)] = []
            for (supplier, ids) in bySupplier.sorted(by: { $0.key < $1.key }) {
                for (index, id) in ids.enumerated() {
                    let request = try store.run(["duis", "request", "6.21", "--as", supplier, "--device", id, "--gno", "cadent",
                                                 "--counter", String(1_000 + index)], machine: "user", environment: environment)
                    try #require(request.exitCode == 0, "\(request.stderr)")
                    signed.append((supplier, request.stdout))
                }
            }
            let suppliers = Array(bySupplier.keys)
            let answers = Answers()
            let urls = servers.map(\.1)
            let requests = signed
            DispatchQueue.concurrentPerform(iterations: suppliers.count) { index in
                for (number, request) in requests.filter({ $0.supplier == suppliers[index] }).enumerated() {
                    answers.add(Self.post(request.xml, to: urls[number % 2]))
                    // The same signed request again, to the other DSP: it must not be decided twice.
                    if number == 0 { answers.add(Self.post(request.xml, to: urls[(number + 1) % 2])) }
                }
            }
            let accepted = answers.all.filter { $0.contains("<sr:ResponseCode>I99</sr:ResponseCode>") }
            #expect(accepted.count == signed.count, "every request acknowledged once: \(answers.all.filter { !$0.contains("I99") })")
            #expect(answers.all.count == signed.count + suppliers.count)

            let log = try store.run(["requests", "--json"]).json()["requests"] as? [[String: Any]] ?? []
            let handovers = log.filter {
                $0["service"] as? String == "6.21" && !DemoStore.historyRequestIds.contains($0["requestId"] as? String ?? "")
            }
            #expect(handovers.count == signed.count, "each request decided once")
            #expect(handovers.allSatisfy { $0["outcome"] as? String == "succeeded" }, "\(handovers.filter { $0["outcome"] as? String != "succeeded" })")
            let acbCounters = handovers.map { $0["originatorCounter"] as? String ?? "" }
            #expect(Set(acbCounters).count == acbCounters.count, "an ACB counter was issued twice")

            // Every device response reaches the User, once.
            var delivered = 0
            for _ in 0..<200 {
                delivered = (try? FileManager.default.contentsOfDirectory(atPath: received).count) ?? 0
                if delivered >= signed.count { break }
                Thread.sleep(forTimeInterval: 0.1)
            }
            Thread.sleep(forTimeInterval: 0.5)
            delivered = (try? FileManager.default.contentsOfDirectory(atPath: received).count) ?? 0
            #expect(delivered == signed.count, "delivered \(delivered) of \(signed.count)")
            #expect(try store.run(["audit", "verify"]).exitCode == 0)
        }

        static func post(_ body: String, to url: String) -> String {
            var request = URLRequest(url: URL(string: url)!)
            request.httpMethod = "POST"
            request.setValue("application/xml", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
            request.timeoutInterval = 60
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var answer = ""
            URLSession.shared.dataTask(with: request) { data, _, _ in
                answer = String(decoding: data ?? Data(), as: UTF8.self)
                done.signal()
            }.resume()
            done.wait()
            return answer
        }

        static func waitUntilAnswering(_ url: String) -> Bool {
            for _ in 0..<150 {
                if !post("<r/>", to: url).isEmpty { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }
    }
}

/// Answers collected from several threads.
private final class Answers: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String] = []

    func add(_ answer: String) { lock.withLock { answers.append(answer) } }
    var all: [String] { lock.withLock { answers } }
}
