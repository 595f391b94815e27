import AnchorCore
import AsyncHTTPClient
import DUIS
import DUISServer
import Foundation
import NIOCore

/// `--only xml`: what an unauthenticated caller can make `serve` do (issue 27). Hostile requests
/// of up to 1 MiB, each as costly as the shape limits let it be, go to `serve` over loopback:
/// each alone (how long its refusal takes), then four clients send the worst of them without
/// pause while one client sends valid requests, whose latency is compared with the same client's
/// on the idle server in the same run; then the same with the worst of ordinary weight
/// (``DUISService/isOrdinary(_:)``), which is read beside the valid ones, not on the heavy lane.
///
/// The costly ones carry a real signature copied whole from a valid request (anyone can copy
/// one), so the signature over SignedInfo verifies and the server must canonicalise and digest
/// the whole document before it finds the body changed (E1). The issue's own requests (20,000
/// namespace declarations, 60,000 attributes) are refused by the shape limits before parsing.
enum DUISHostileBenchmark {
    static func run(base: Ledger, directory: String, valid: Int) throws -> [ResultRow] {
        let store = directory + "/duis-hostile"
        try? FileManager.default.removeItem(atPath: store)
        try DUISLoadBenchmark.create(try DUISLoadBenchmark.loadEstate(base: base, requests: 3 * valid + 3), at: store)
        let plan = try DUISLoadBenchmark.Plan.onDirectory(store)
        let requests = plan.batches.flatMap { $0 }
        let template = try requireValue(requests.first?.1, "a signed request")
        let hostile = try candidates(from: template)
        let result = try BlockingTask.run {
            try await measure(store: store, hostile: hostile, idle: Array(requests.prefix(valid + 3)),
                              loaded: [Array(requests.dropFirst(valid + 3).prefix(valid)), Array(requests.dropFirst(2 * valid + 3).prefix(valid))])
        }
        return rows(result, valid: valid)
    }

    /// One hostile request.
    struct Candidate: Sendable {
        var name: String
        var body: [UInt8]
    }

    /// The hostile requests: a signed request with filler put in its body (its signature kept),
    /// each shaped to cost the most that one kind of structure can within the limits.
    static func candidates(from signed: [UInt8]) throws -> [Candidate] {
        let text = String(decoding: signed, as: UTF8.self)
        let room = ParsedXML.maximumBytes - signed.count - 64
        func filled(_ filler: String) throws -> [UInt8] {
            guard let end = text.range(of: "</sr:Body>") else { throw BenchmarkError("no sr:Body") }
            var body = text
            body.insert(contentsOf: filler, at: end.lowerBound)
            let bytes = Array(body.utf8)
            guard bytes.count <= ParsedXML.maximumBytes else { throw BenchmarkError("a candidate is \(bytes.count) bytes") }
            return bytes
        }
        func repeated(_ unit: String, within budget: Int) -> String {
            String(repeating: unit, count: max(0, budget / unit.utf8.count))
        }
        // Text: character references and escapes the canonical form writes out again.
        let textFiller = "<t>" + repeated("a&amp;b&lt;&#13;", within: room - 8) + "</t>"
        let quarterTextFiller = "<t>" + repeated("a&amp;b&lt;&#13;", within: room / 4 - 8) + "</t>"
        // Elements: as many as the parsed-node limit allows, the bytes spread over them as text.
        let elementCount = 16_200
        let elementFiller = String(repeating: "<e>" + String(repeating: "x", count: room / elementCount - 8) + "</e>", count: elementCount)
        // Namespaces: 12 declarations in scope (three elements of four; the request has 2), then as
        // many elements under them as the parsed-node limit allows, each seeing all 13 with sr's.
        let opening = (0..<3).map { level in "<n\(level) " + (0..<4).map { "xmlns:p\(level)x\($0)=\"urn:\($0)\" " }.joined() + ">" }.joined()
        let closing = (0..<3).reversed().map { "</n\($0)>" }.joined()
        let namespaced = 2_200
        let inner = String(repeating: "<e>" + String(repeating: "y", count: (room - 4_000) / namespaced - 8) + "</e>", count: namespaced)
        let namespaceFiller = opening + inner + closing
        let smallNamespaceFiller = opening + String(repeating: "<e/>", count: namespaced) + closing
        // The heaviest read beside valid requests: as many bytes and nodes as an ordinary body may
        // have, in elements that each see 13 namespaces (the request itself has about 150 nodes).
        // Its room is what the limit leaves after the request and every byte of markup, so it is
        // ordinary whatever the signed request's length (with a fixed allowance it was ordinary
        // only for some lengths, and the run then stopped with "missing a value").
        let ordinaryElements = (DUISService.ordinaryNodes - 160) / 14
        let ordinaryMarkup = opening.utf8.count + closing.utf8.count + ordinaryElements * "<e></e>".utf8.count
        let ordinaryRoom = DUISService.ordinaryBytes - signed.count - ordinaryMarkup - 64
        let ordinaryFiller = opening
            + String(repeating: "<e>" + String(repeating: "o&amp;", count: max(0, ordinaryRoom / ordinaryElements / 6)) + "</e>", count: ordinaryElements)
            + closing
        // Attributes: 992 of them, their values tab references the canonical form writes as `&#x9;`.
        let attributeFiller = (0..<32).map { _ in
            "<a " + (0..<31).map { "v\($0)=\"" + repeated("&#9;", within: room / 992 - 8) + "\" " }.joined() + "/>"
        }.joined()
        // Comments: as many nodes as the limit leaves, then text.
        let commentFiller = String(repeating: "<!---->", count: 32_000) + "<t>" + repeated("z", within: room - 32_000 * 7 - 8) + "</t>"
        let issueNamespaces = text.replacingOccurrences(
            of: "<sr:Header>", with: "<sr:Header" + (0..<20_000).map { " xmlns:n\($0)=\"urn:x\($0)\"" }.joined() + ">")
        let issueAttributes = "<sr:Request xmlns:sr=\"\(DUISSchema.namespace)\"" + (0..<60_000).map { " a\($0)=\"v\"" }.joined() + "/>"
        return [
            Candidate(name: "text with escapes", body: try filled(textFiller)),
            Candidate(name: "text with escapes, a quarter as long", body: try filled(quarterTextFiller)),
            Candidate(name: "16,200 elements", body: try filled(elementFiller)),
            Candidate(name: "13 namespaces in scope at 2,200 elements", body: try filled(namespaceFiller)),
            Candidate(name: "13 namespaces in scope at 2,200 empty elements", body: try filled(smallNamespaceFiller)),
            Candidate(name: "ordinary weight at most: 13 namespaces in scope at \(ordinaryElements) elements", body: try filled(ordinaryFiller)),
            Candidate(name: "992 attributes of tab references", body: try filled(attributeFiller)),
            Candidate(name: "32,000 comments", body: try filled(commentFiller)),
            Candidate(name: "the issue's 20,000 declarations", body: Array(issueNamespaces.utf8)),
            Candidate(name: "the issue's 60,000 attributes", body: Array(issueAttributes.utf8)),
        ]
    }

    struct Result {
        /// Per candidate: its size, the answers' codes, and the latencies alone.
        var alone: [(Candidate, Set<String>, [Double])]
        var idle: [Double]
        /// Per load phase: the hostile request sent, the valid requests' latencies, the hostile ones'.
        var loads: [(hostile: Candidate, valid: [Double], hostileLatencies: [Double])]
        var validCodes: Set<String>
    }

    static func measure(store: String, hostile: [Candidate], idle: [(DUISRequestID, [UInt8])],
                        loaded: [[(DUISRequestID, [UInt8])]]) async throws -> Result {
        let server = DUISHTTPServer(configuration: DUISServiceConfiguration(storeDirectory: store), host: "127.0.0.1", port: 0, log: { _ in })
        let (listening, signal) = AsyncStream.makeStream(of: Int.self)
        let serving = Task { try await server.run { signal.yield($0) } }
        let port = try await listeningPort(listening, of: serving)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func post(_ body: [UInt8]) async throws -> (String, Double) {
            try await DUISLoadBenchmark.post(body, to: port, with: client)
        }
        // Warm up (the first request opens the store and reads the Repository).
        for (_, body) in idle.prefix(3) { _ = try await post(body) }
        var alone: [(Candidate, Set<String>, [Double])] = []
        for candidate in hostile {
            var codes: Set<String> = []
            var latencies: [Double] = []
            for _ in 0..<20 {
                let (code, seconds) = try await post(candidate.body)
                codes.insert(code)
                latencies.append(seconds)
            }
            alone.append((candidate, codes, latencies))
        }
        func worst(_ candidates: ArraySlice<(Candidate, Set<String>, [Double])>) throws -> Candidate {
            try requireValue(candidates.max { Measure.percentile($0.2, 0.5) < Measure.percentile($1.2, 0.5) }?.0)
        }
        // The costliest of all, and the costliest read beside valid requests (no heavier than a DUIS request could be).
        let attacks = [try worst(alone[...]), try worst(alone.filter { DUISService.isOrdinary($0.0.body) }[...])]
        var validCodes: Set<String> = []
        var idleLatencies: [Double] = []
        for (_, body) in idle.dropFirst(3) {
            let (code, seconds) = try await post(body)
            validCodes.insert(code)
            idleLatencies.append(seconds)
        }
        var loads: [(hostile: Candidate, valid: [Double], hostileLatencies: [Double])] = []
        for (attack, valid) in zip(attacks, loaded) {
            let stop = StopFlag()
            let attackers = (0..<4).map { _ in
                Task { () -> [Double] in
                    var latencies: [Double] = []
                    while !stop.isSet { latencies.append(try await post(attack.body).1) }
                    return latencies
                }
            }
            try await Task.sleep(for: .milliseconds(500))
            var latencies: [Double] = []
            for (_, body) in valid {
                let (code, seconds) = try await post(body)
                validCodes.insert(code)
                latencies.append(seconds)
            }
            stop.set()
            var hostileLatencies: [Double] = []
            for attacker in attackers { hostileLatencies += try await attacker.value }
            loads.append((attack, latencies, hostileLatencies))
        }
        try await client.shutdown()
        serving.cancel()
        _ = try? await serving.value
        return Result(alone: alone, idle: idleLatencies, loads: loads, validCodes: validCodes)
    }

    static func rows(_ result: Result, valid: Int) -> [ResultRow] {
        func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }
        let idleP50 = Measure.percentile(result.idle, 0.5)
        let idleP99 = Measure.percentile(result.idle, 0.99)
        let worst = result.loads.first?.hostile.name
        var rows = result.alone.map { candidate, codes, latencies in
            ResultRow(name: "alone: \(candidate.name), \(candidate.body.count / 1024) KiB → \(codes.sorted().joined(separator: ","))",
                      ours: "p50 \(ms(Measure.percentile(latencies, 0.5))) / max \(ms(latencies.max() ?? 0)) ms",
                      baseline: "valid, idle: p50 \(ms(idleP50)) ms", ratio: String(format: "%.2f×", Measure.percentile(latencies, 0.5) / idleP50),
                      target: candidate.name == worst ? "≤ 50 ms (the worst)" : "≤ 50 ms")
        }
        for load in result.loads {
            let p99 = Measure.percentile(load.valid, 0.99)
            rows.append(ResultRow(
                name: "\(valid) valid requests beside 4 clients sending '\(load.hostile.name)' (\(load.hostile.body.count / 1024) KiB), p50 / p99",
                ours: "\(ms(Measure.percentile(load.valid, 0.5))) / \(ms(p99)) ms",
                baseline: "idle: \(ms(idleP50)) / \(ms(idleP99)) ms", ratio: String(format: "%.2f× (p99)", p99 / idleP99),
                target: "≤ 2×"))
            rows.append(ResultRow(
                name: "  the 4 hostile clients meanwhile: requests answered, p50 / max",
                ours: "\(load.hostileLatencies.count), \(ms(Measure.percentile(load.hostileLatencies, 0.5))) / \(ms(load.hostileLatencies.max() ?? 0)) ms",
                baseline: "-", ratio: "-", target: "report"))
        }
        rows.append(ResultRow(name: "valid requests' answers", ours: result.validCodes.sorted().joined(separator: ","), baseline: "-", ratio: "-",
                              target: "I99"))
        return rows
    }

    /// Set once, read by the attacking tasks.
    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        var isSet: Bool { lock.withLock { stopped } }
        func set() { lock.withLock { stopped = true } }
    }
}
