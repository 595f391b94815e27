import AnchorCore
import AnchorPostgres
import AnchorService
import AnchorStore
import AsyncHTTPClient
import DUIS
import DUISServer
import Foundation
import GPFSimulator
import Hummingbird
import Logging
import NIOCore
import SMKI

/// `--only duis`: 8 concurrent clients send signed SRV6.21 requests (CommandVariant 1) to
/// `serve` over loopback, each a different Supplier with its own devices, and a receiver takes
/// the device responses. Checks none is lost or duplicated (every request I99, once in the
/// store's log, its response received once), and reports requests/s and latency. Baseline in
/// the same run: the same number of requests through the engine and the store directly, one
/// at a time, without HTTP or XML (what a CLI request does after its process has started).
/// With `--postgresql URL`, two DSPs (two servers, each with its own machine directory and
/// outbox) share one database, and each client alternates between them.
enum DUISLoadBenchmark {
    static let clients = 8

    static func run(base: Ledger, requests: Int, directory: String, postgresql url: String? = nil) throws -> [ResultRow] {
        let served = directory + "/duis-served"
        let direct = directory + "/duis-direct"
        let estate = try loadEstate(base: base, requests: requests)
        for store in [served, direct] {
            try? FileManager.default.removeItem(atPath: store)
            try create(estate, at: store)
        }
        let plan: Plan
        if let url {
            plan = try Plan(store: served, dsps: try twoDSPs(sharing: url, estate: estate, vaultOf: served, directory: directory))
        } else {
            plan = try Plan.onDirectory(served)
        }
        let result = try BlockingTask.run { try await plan.send() }
        let baselineSeconds = try directThroughput(plan.ids, store: direct)
        let served1 = Double(requests) / result.seconds
        let direct1 = Double(requests) / baselineSeconds
        return [
            ResultRow(name: "DUIS over HTTP, \(clients) clients, \(requests) signed SRV6.21" + (url == nil ? "" : ", two DSPs on one PostgreSQL database"),
                      ours: String(format: "%.0f req/s (%.1f s)", served1, result.seconds),
                      baseline: String(format: "%.0f req/s engine + store, no HTTP/XML", direct1),
                      ratio: String(format: "%.2f×", served1 / direct1), target: "none lost or duplicated"),
            ResultRow(name: "DUIS latency p50 / p99 / max",
                      ours: String(format: "%.1f / %.1f / %.1f ms", result.p50 * 1000, result.p99 * 1000, result.max * 1000),
                      baseline: "-", ratio: "-", target: "report"),
            ResultRow(name: "DUIS lost / duplicated (log, responses)",
                      ours: "\(result.lost) / \(result.duplicated) (\(result.delivered) responses delivered\(result.refusals.isEmpty ? "" : "; refused: " + result.refusals))",
                      baseline: "-", ratio: "-", target: "0 / 0"),
        ]
    }

    /// A synthetic estate with enough ACB-held GPFs, shared among `clients` extra Suppliers.
    static func loadEstate(base: Ledger, requests: Int) throws -> Estate {
        let estate = try SyntheticEstate.generate(over: base, count: requests * 5 / 2, seed: 7)
        let names = (1...clients).map { "load-supplier-\($0)" }
        var organisations = estate.ledger.organisations
        var certificates = estate.ledger.certificates
        for (index, name) in names.enumerated() {
            organisations.append(Organisation(id: name, name: name, role: .supplier,
                                              entityId: EUI64(rawValue: 0x90B3_D51F_3000_0100 + UInt64(index)), dccUser: true, subscribed: true))
            certificates += [Certificate(id: name + "-ds", owner: name, keyUsage: .digitalSigning, inRepository: true),
                             Certificate(id: name + "-ka", owner: name, keyUsage: .keyAgreement, inRepository: true)]
        }
        let acb = Set(certificates.filter { $0.owner == "dcc-acb" }.map(\.id))
        var next = 0
        let devices = estate.devices.map { device -> Device in
            guard next < requests, device.type == .gpf, let cell = device.cells[.networkOperatorDS], acb.contains(cell) else { return device }
            var reassigned = device
            reassigned.supplier = names[next % names.count]
            next += 1
            return reassigned
        }
        guard next == requests else { throw BenchmarkError("only \(next) ACB-held GPFs for \(requests) requests") }
        let old = estate.ledger
        return Estate(ledger: Ledger(organisations: organisations, certificates: certificates, recordedCounters: old.recordedCounters,
                                     counterHistory: old.counterHistory, requestLog: old.requests, lifecycle: old.lifecycle,
                                     schedule: old.schedule, alerts: old.alerts), devices: DeviceTable(devices))
    }

    /// The estate in the database, with the vault of the store directory `vaultOf` (the same
    /// Users' XML-signing keys the plan signs with), and two DSPs' machine directories.
    static func twoDSPs(sharing url: String, estate: Estate, vaultOf vault: String, directory: String) throws -> [Plan.DSP] {
        let location = try PostgresLocation(url: url)
        let stores = (1...2).map { number -> PostgresStore in
            var environment = ProcessInfo.processInfo.environment
            environment["ANCHORDESK_PG_LOCAL"] = directory + "/duis-dsp-\(number)"
            try? FileManager.default.removeItem(atPath: environment["ANCHORDESK_PG_LOCAL"]!)
            return PostgresStore(location: location, environment: environment)
        }
        try stores[0].create(with: estate, replacingExisting: true)
        // Both DSP hosts hold the DCC's keys; the database holds the certificates, which the
        // second host fetches as a writer does on its first open.
        for store in stores {
            try FileManager.default.copyItem(atPath: Store.path(vault, CredentialVault.folderName),
                                            toPath: Store.path(store.directory, CredentialVault.folderName))
        }
        try stores[0].publishCertificates(lockTimeout: .seconds(10))
        try PostgresEstateStore(stores[1]).openWriter(lockTimeout: .seconds(5)).close()
        return stores.map { store in
            Plan.DSP(configuration: DUISServiceConfiguration(storeDirectory: store.directory, estateStore: PostgresEstateStore(store),
                                                             lockTimeout: .seconds(60)),
                     open: { try store.open(access: .readOnly) })
        }
    }

    static func create(_ estate: Estate, at store: String) throws {
        try Store.create(at: store, with: estate, replacingExisting: true)
        let vault = CredentialVault(storeDirectory: store)
        try vault.recordDemoUserKeys(UserKeyDirectory(path: store + "/" + UserKeyDirectory.demoFolderName))
        let validFrom = Date()
        try vault.save(try CredentialMaterial.generate(for: estate.ledger, validFrom: validFrom), ledger: estate.ledger)
        _ = try vault.xmlSigningCredentials(for: estate.ledger, validFrom: validFrom)
    }

    /// The baseline: each request straight through the engine and a durable commit.
    static func directThroughput(_ ids: [DUISRequestID], store path: String) throws -> Double {
        let store = try Store.open(at: path, access: .readWrite(lockTimeout: .seconds(5)))
        defer { store.close() }
        let credentials = try CredentialVault(storeDirectory: path).credentials(for: store.estate.ledger, validFrom: Date())
        // Suppliers by entity ID, read before the clock starts; no copy of the ledger is kept
        // (one would make each commit copy the request log to append to it).
        let suppliers = Dictionary(uniqueKeysWithValues: store.estate.ledger.organisations.map { ($0.entityId, $0.id) })
        let start = Date()
        for id in ids {
            let supplier = try requireValue(suppliers[id.originator])
            let request = ServiceRequest.requestHandover(HandoverRequest(
                supplier: supplier, device: id.target, networkOperator: "cadent", requestCounter: OriginatorCounter(id.counter)))
            try store.commit(try store.estate.evaluateOnWire(request, now: Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970)),
                                                             credentials: credentials).change)
            _ = try store.compactIfJournalIsLarge()
        }
        return Date().timeIntervalSince(start)
    }
}

extension DUISLoadBenchmark {
    struct Result {
        var seconds: Double
        var p50: Double
        var p99: Double
        var max: Double
        var lost: Int
        var duplicated: Int
        var delivered: Int
        /// The codes of answers other than I99, with how many of each.
        var refusals: String
    }

    final class Plan: Sendable {
        /// A server to send to, and how to read the store it writes.
        struct DSP: Sendable {
            var configuration: DUISServiceConfiguration
            var open: @Sendable () throws -> Store
        }

        let dsps: [DSP]
        let batches: [[(DUISRequestID, [UInt8])]]
        var ids: [DUISRequestID] { batches.flatMap { $0.map(\.0) } }

        /// The plan for one server on the store directory `store`.
        static func onDirectory(_ store: String) throws -> Plan {
            try Plan(store: store, dsps: [DSP(configuration: DUISServiceConfiguration(storeDirectory: store),
                                              open: { try Store.open(at: store, access: .readOnly) })])
        }

        /// The signed requests, made before the clock starts, with the Users' keys of the store directory `store`.
        init(store: String, dsps: [DSP]) throws {
            self.dsps = dsps
            let opened = try Store.open(at: store, access: .readOnly)
            let estate = opened.estate
            opened.close()
            let vault = CredentialVault(storeDirectory: store)
            let keys = try requireValue(try vault.demoUserKeys())
            let material = try requireValue(try vault.load(for: estate.ledger))
            let cadent = estate.ledger.certificates(ownedBy: "cadent")
            func der(_ usage: KeyUsage) -> [UInt8]? { cadent.last { $0.keyUsage == usage }.flatMap { material.certificates[$0.id]?.der } }
            let certificates = DUISRequestDocument.Certificates(
                digitalSigning: try requireValue(der(.digitalSigning)), keyAgreement: der(.keyAgreement), path: [material.authority.certificate.der])
            var batches: [[(DUISRequestID, [UInt8])]] = []
            for client in 1...DUISLoadBenchmark.clients {
                let supplier = try requireValue(estate.ledger.organisation("load-supplier-\(client)"))
                let key = try requireValue(try keys.xmlSigningKey(supplier.entityId))
                let certificate = try requireValue(try keys.xmlSigningCertificate(supplier.entityId))
                let name = XMLSignature.KeyName(issuer: certificate.issuerName, serial: certificate.decimalSerial)
                let devices = estate.devices.filter { $0.supplier == supplier.id }
                batches.append(try devices.enumerated().map { index, device in
                    let id = DUISRequestID(originator: supplier.entityId, target: device.id, counter: UInt64(index + 1))
                    return (id, try XMLSignature.sign(DUISRequestDocument.requestHandover(requestID: id, certificates: certificates), key: key, keyName: name))
                })
            }
            self.batches = batches
        }

        func send() async throws -> Result {
            let receiver = Receiver()
            let receiverPort = try await receiver.start()
            var servings: [Task<Void, any Error>] = []
            var ports: [Int] = []
            for dsp in dsps {
                var configuration = dsp.configuration
                configuration.respondTo = URL(string: "http://127.0.0.1:\(receiverPort)/smartdcc/duis")
                let server = DUISHTTPServer(configuration: configuration, host: "127.0.0.1", port: 0, log: { _ in })
                let (listening, signal) = AsyncStream.makeStream(of: Int.self)
                let serving = Task { try await server.run { signal.yield($0) } }
                servings.append(serving)
                ports.append(try await listeningPort(listening, of: serving))
            }
            let chosen = ports
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let start = Date()
            let answers = try await withThrowingTaskGroup(of: [(DUISRequestID, String, Double)].self) { group in
                for batch in batches {
                    group.addTask {
                        var answers: [(DUISRequestID, String, Double)] = []
                        for (number, (id, body)) in batch.enumerated() {
                            let (code, seconds) = try await DUISLoadBenchmark.post(body, to: chosen[number % chosen.count], with: client)
                            answers.append((id, code, seconds))
                        }
                        return answers
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let seconds = Date().timeIntervalSince(start)
            let total = answers.count
            for _ in 0..<2400 where receiver.count < total { try await Task.sleep(for: .milliseconds(50)) }
            try await client.shutdown()
            for serving in servings { serving.cancel() }
            receiver.stop()
            let opened = try dsps[0].open()
            defer { opened.close() }
            var lost = answers.filter { $0.1 != "I99" }.count
            var duplicated = 0
            for (id, _, _) in answers {
                let found = opened.estate.ledger.requests(for: id.target).filter { $0.requestId == id.description }.count
                if found == 0 { lost += 1 }
                if found > 1 { duplicated += 1 }
            }
            let responses = receiver.responseIDs
            duplicated += responses.count - Set(responses).count
            lost += Set(answers.map { $0.0.responseID }).subtracting(responses).count
            let latencies = answers.map(\.2)
            let refusals = Dictionary(grouping: answers.filter { $0.1 != "I99" }, by: \.1).map { "\($0.key) ×\($0.value.count)" }.sorted()
            return Result(seconds: seconds, p50: Measure.percentile(latencies, 0.5), p99: Measure.percentile(latencies, 0.99),
                          max: latencies.max() ?? 0, lost: lost, duplicated: duplicated, delivered: responses.count,
                          refusals: refusals.joined(separator: ", "))
        }
    }

    /// The Users' Receive Response Service: counts the responses by ResponseID.
    final class Receiver: @unchecked Sendable {
        private let lock = NSLock()
        private var ids: [String] = []
        private var task: Task<Void, any Error>?

        var count: Int { lock.withLock { ids.count } }
        var responseIDs: [String] { lock.withLock { ids } }

        func start() async throws -> Int {
            let router = Router()
            router.post("/smartdcc/duis") { request, _ -> Response in
                var request = request
                let text = String(buffer: try await request.collectBody(upTo: 1 << 20))
                let id = text.range(of: "<sr:ResponseID>").map { text[$0.upperBound...].prefix { $0 != "<" } }.map(String.init) ?? "?"
                self.lock.withLock { self.ids.append(id) }
                return Response(status: .noContent)
            }
            var logger = Logger(label: "bench-receiver")
            logger.logLevel = .critical
            let (listening, signal) = AsyncStream.makeStream(of: Int.self)
            let application = Application(router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                                          onServerRunning: { signal.yield($0.localAddress?.port ?? 0) }, logger: logger)
            let running = Task { try await application.runService() }
            task = running
            return try await listeningPort(listening, of: running)
        }

        func stop() { task?.cancel() }
    }
}

extension DUISLoadBenchmark {
    /// POSTs `body` to `serve`'s serviceS on `port`; returns the answer's DUIS code (or its HTTP
    /// status when it is no DUIS response) and the seconds it took.
    static func post(_ body: [UInt8], to port: Int, with client: HTTPClient) async throws -> (code: String, seconds: Double) {
        let sent = ContinuousClock.now
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/serviceS")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/xml")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(120))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 22))
        let elapsed = ContinuousClock.now - sent
        let code = text.range(of: "<sr:ResponseCode>").map { String(text[$0.upperBound...].prefix { $0 != "<" }) } ?? "HTTP \(response.status.code)"
        return (code, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}

/// Runs async work from the benchmark's synchronous main.
enum BlockingTask {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<T, any Error>?
        Task {
            do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
            done.signal()
        }
        done.wait()
        return try outcome!.get()
    }
}

/// The port a server started in `serving` listens on, or, when it stops before it listens, the
/// error that stopped it (a bare "missing a value" told the fresh-clone CI nothing).
func listeningPort(_ listening: AsyncStream<Int>, of serving: Task<Void, any Error>) async throws -> Int {
    var ports = listening.makeAsyncIterator()
    if let port = await ports.next() { return port }
    try await serving.value
    throw BenchmarkError("the server stopped before it listened")
}

/// A value the benchmark cannot go on without.
func requireValue<T>(_ value: T?, _ what: String = "a value") throws -> T {
    guard let value else { throw BenchmarkError("missing \(what)") }
    return value
}
