import AsyncHTTPClient
import DUIS
import DUISServer
import Foundation
import Hummingbird
import Logging
import NIOCore
import Testing

/// `anchordesk serve` in-process on a free loopback port, a test Receive Response Service
/// beside it, and an HTTP client: DUIS as a User's tooling speaks it, over real sockets.
final class DUISHarness: Sendable {
    let store: DemoStore
    let serverPort: Int
    let receiver: ResponseReceiver
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    private let tasks: [Task<Void, any Error>]
    let lines = LogLines()

    /// Starts both; with `receiverPort`, the response address is that port and no receiver is started there.
    init(store: DemoStore, legacyCounters: Bool = false, receiver: ResponseReceiver? = nil, receiverPort fixedPort: Int? = nil) async throws {
        self.store = store
        self.receiver = receiver ?? ResponseReceiver()
        var tasks: [Task<Void, any Error>] = []
        let receiverPort: Int
        if let fixedPort {
            receiverPort = fixedPort
        } else {
            let (task, port) = try await self.receiver.start()
            tasks.append(task)
            receiverPort = port
        }
        self.receiver.port = receiverPort
        let lines = self.lines
        let server = DUISHTTPServer(
            configuration: DUISServiceConfiguration(
                storeDirectory: store.directory, legacyCounters: legacyCounters,
                respondTo: URL(string: "http://127.0.0.1:\(receiverPort)/smartdcc/duis")),
            host: "127.0.0.1", port: 0, log: { lines.append($0.line) })
        let (listening, signal) = AsyncStream.makeStream(of: Int.self)
        tasks.append(Task {
            defer { signal.finish() }
            try await server.run { port in signal.yield(port) }
        })
        var ports = listening.makeAsyncIterator()
        serverPort = try #require(await ports.next())
        self.tasks = tasks
    }

    /// Stops both and waits until they have (the server gives its outbox back).
    func stop() async {
        for task in tasks { task.cancel() }
        for task in tasks { _ = try? await task.value }
        try? await client.shutdown()
    }

    /// POSTs `body` to `endpoint`; returns the status and the body.
    func post(_ endpoint: DUISEndpoint, _ body: [UInt8], contentType: String = "application/xml") async throws -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(serverPort)\(endpoint.rawValue)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), Array(buffer.readableBytesView))
    }

    /// POSTs and reads the answer as a DUIS response whose signature verifies with the DSP's certificate.
    func answer(_ endpoint: DUISEndpoint, _ body: [UInt8]) async throws -> Answer {
        let (status, bytes) = try await post(endpoint, body)
        #expect(status == 200, "\(String(decoding: bytes, as: UTF8.self))")
        return try Answer(bytes, store: store)
    }
}

/// A signed DUIS response, checked against the DSP's XML-signing certificate and read.
struct Answer {
    let bytes: [UInt8]
    let code: String
    let requestID: String
    let responseID: String?
    let preCommand: [UInt8]?
    let gbcs: [UInt8]?

    init(_ bytes: [UInt8], store: DemoStore) throws {
        self.bytes = bytes
        let dsp = try #require(try store.estate().ledger.soleOrganisation(withRole: .acb))
        let certificate = try #require(try AnchorStoreAccess.xmlSigningCertificates(store)[dsp.entityId])
        let document = try XMLSignature.verify(bytes) { _ throws(XMLSignatureError) in
            guard let key = certificate.publicKey else { throw .unknownSigner("no key") }
            return key
        }.document
        let sr = DUISSchema.namespace
        let root = try #require(document.root)
        let header = try #require(root.child("Header", in: sr))
        code = try #require(header.child("ResponseCode", in: sr)?.text)
        requestID = try #require(header.child("RequestID", in: sr)?.text)
        responseID = header.child("ResponseID", in: sr)?.text
        let message = root.child("Body", in: sr)?.child("ResponseMessage", in: sr)
        preCommand = message?.child("PreCommand", in: sr)?.child("GBCSPayload", in: sr).flatMap { Data(base64Encoded: $0.text) }.map { Array($0) }
        gbcs = message?.child("GBCSPayload", in: sr).flatMap { Data(base64Encoded: $0.text) }.map { Array($0) }
    }
}

/// The test's Receive Response Service: keeps every POSTed body.
final class ResponseReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [[UInt8]] = []
    var port = 0

    var bodies: [[UInt8]] { lock.withLock { received } }

    /// Starts listening on `port` (0: a free one).
    func start(port: Int = 0) async throws -> (Task<Void, any Error>, Int) {
        let router = Router()
        router.post("/smartdcc/duis") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 22)
            self.lock.withLock { self.received.append(Array(body.readableBytesView)) }
            return Response(status: .noContent)
        }
        let (listening, signal) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test-receiver")
        logger.logLevel = .critical
        let application = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { signal.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await application.runService() }
        var ports = listening.makeAsyncIterator()
        return (task, try #require(await ports.next()))
    }

    /// Waits until `count` bodies have arrived (or ten seconds pass).
    func waitFor(_ count: Int) async -> [[UInt8]] {
        for _ in 0..<200 where bodies.count < count {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return bodies
    }

    /// A loopback port nothing listens on.
    static func closedPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The server's log lines.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var all: [String] { lock.withLock { stored } }
}
