import AnchorCore
import DUIS
import DUISServer
import Foundation
import Hummingbird
import Logging
import Testing

/// HTTP as the endpoints speak it (issue 27, cases 6 and 9): only the endpoints' exact paths are
/// served, an HTTP/1.0 connection that did not ask to stay open is closed, and a signed device
/// response is never sent where a redirect points.
@Suite(.serialized) struct DUISHTTPHygieneTests {
    @Test func onlyTheExactEndpointPathsAreServed() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        let body = "<r/>"
        let exact = try await RawHTTP.exchange(port: harness.serverPort, request: RawHTTP.post("/api/v1/serviceS", body: body))
        #expect(exact.status == 400, "the endpoint itself reads the body (and refuses this one)")
        for path in ["/api/v1/serviceS/", "//api/v1/serviceS", "/api/v1/serviceS?query", "/api/v1//serviceS", "/API/v1/serviceS"] {
            let answer = try await RawHTTP.exchange(port: harness.serverPort, request: RawHTTP.post(path, body: body))
            #expect(answer.status == 404, "\(path) was served")
        }
    }

    @Test func anHTTP10ConnectionWithoutKeepAliveIsClosedAfterItsAnswer() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        let plain = try await RawHTTP.exchange(
            port: harness.serverPort, request: RawHTTP.post("/api/v1/serviceS", body: "<r/>", version: "HTTP/1.0"), waitForClose: .seconds(60))
        #expect(plain.status == 400)
        #expect(plain.closedByServer, "the server left an HTTP/1.0 connection open")
        let tokens = try await RawHTTP.exchange(
            port: harness.serverPort, request: RawHTTP.post("/api/v1/serviceS", body: "<r/>", extraHeaders: "Connection: TE, close\r\n"),
            waitForClose: .seconds(60))
        #expect(tokens.closedByServer, "the server left open a connection whose Connection header lists close")
        let kept = try await RawHTTP.exchange(
            port: harness.serverPort, request: RawHTTP.post("/api/v1/serviceS", body: "<r/>", version: "HTTP/1.0", extraHeaders: "Connection: keep-alive\r\n"),
            waitForClose: .seconds(1))
        #expect(kept.status == 400)
        #expect(!kept.closedByServer, "an HTTP/1.0 client that asked for keep-alive was cut off")
    }

    @Test func aRedirectingResponseAddressIsAFailedDeliveryTriedAgain() async throws {
        let elsewhere = ResponseReceiver()
        let (elsewhereTask, elsewherePort) = try await elsewhere.start()
        defer { elsewhereTask.cancel() }
        let redirecting = RedirectingReceiver(to: "http://127.0.0.1:\(elsewherePort)/smartdcc/duis")
        let (redirectTask, redirectPort) = try await redirecting.start()
        defer { redirectTask.cancel() }
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store, receiverPort: redirectPort)
        defer { Task { await harness.stop() } }
        let device = try #require(try store.gpfs(heldBy: "dcc-acb").first)
        let supplier = try store.organisation(device.supplier)
        let id = DUISRequestID(originator: supplier.entityId, target: device.id, counter: supplier.lastCounter.value + 1)
        let request = try store.signed(DUISRequestDocument.requestHandover(requestID: id, certificates: try store.certificates(of: "cadent")), as: supplier.id)
        #expect(try await harness.answer(.sendCommand, request).code == "I99")
        for _ in 0..<200 where redirecting.hits < 2 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(redirecting.hits >= 2, "a 307 is a failed delivery, tried again")
        #expect(elsewhere.bodies.isEmpty, "the signed device response went where the redirect pointed")
        #expect(try DUISOutbox(storeDirectory: store.directory).pending().count == 1)
        #expect(harness.lines.all.contains { $0.contains("answered 307") })
    }
}

/// A Receive Response Service that answers every POST with 307 to another address.
final class RedirectingReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    let location: String

    init(to location: String) {
        self.location = location
    }

    var hits: Int { lock.withLock { count } }

    func start() async throws -> (Task<Void, any Error>, Int) {
        let router = Router()
        router.post("/smartdcc/duis") { _, _ -> Response in
            self.lock.withLock { self.count += 1 }
            return Response(status: .temporaryRedirect, headers: [.location: self.location])
        }
        let (listening, signal) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test-redirect")
        logger.logLevel = .critical
        let application = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { signal.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await application.runService() }
        var ports = listening.makeAsyncIterator()
        return (task, try #require(await ports.next()))
    }
}

/// HTTP over a plain socket, to send what a client library would tidy up (HTTP/1.0, odd paths)
/// and to see whether the server closes the connection.
enum RawHTTP {
    struct Answer {
        var status: Int
        var closedByServer: Bool
    }

    static func post(_ path: String, body: String, version: String = "HTTP/1.1", extraHeaders: String = "") -> String {
        "POST \(path) \(version)\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\nContent-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)"
    }

    /// Sends `request` and reads the answer; with `waitForClose`, then reads on until the server
    /// closes the connection or that long passes.
    static func exchange(port: Int, request: String, waitForClose: Duration? = nil) async throws -> Answer {
        try await Task.detached { try blockingExchange(port: port, request: request, waitForClose: waitForClose) }.value
    }

    private static func blockingExchange(port: Int, request: String, waitForClose: Duration?) throws -> Answer {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        // The answer may take a while on a busy machine; only then is the close waited for.
        func receiveTimeout(_ duration: Duration) {
            var timeout = timeval(tv_sec: Int(duration.components.seconds), tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        receiveTimeout(.seconds(60))
        let bytes = Array(request.utf8)
        try #require(bytes.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) } == bytes.count)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var closed = false
        var answered = false
        while true {
            if !answered && isComplete(received) {
                guard let waitForClose else { break }
                answered = true
                receiveTimeout(waitForClose)
            }
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else {
                closed = count == 0
                break
            }
        }
        let text = String(decoding: received, as: UTF8.self)
        let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        return Answer(status: status, closedByServer: closed)
    }

    /// Whether `received` holds a whole response: its head and the `Content-Length` bytes after it.
    private static func isComplete(_ received: [UInt8]) -> Bool {
        let text = String(decoding: received, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let length = text[..<end.lowerBound].split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        return text[end.upperBound...].utf8.count >= length
    }
}
