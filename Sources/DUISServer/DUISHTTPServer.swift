import DUIS
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `anchordesk serve`: DCC Boxed's three DUIS endpoints over HTTP, in front of a ``DUISService``,
/// and the outbox's sender when a response address is set.
public struct DUISHTTPServer: Sendable {
    /// The service the endpoints call.
    public let service: DUISService
    /// The address to listen on.
    public var host: String
    /// The port (0: any free port, told to `onListening`).
    public var port: Int

    /// A server for `configuration`'s store.
    public init(configuration: DUISServiceConfiguration, host: String, port: Int, log: @escaping @Sendable (String) -> Void) {
        let sender = configuration.respondTo.map { DUISOutboxSender(outbox: DUISOutbox(storeDirectory: configuration.storeDirectory), destination: $0, log: log) }
        self.sender = sender
        service = DUISService(configuration: configuration, log: log, enqueued: { sender?.wake() })
        self.host = host
        self.port = port
    }

    private let sender: DUISOutboxSender?

    /// Serves until SIGINT or SIGTERM (or the task is cancelled); `onListening` gets the port.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        for endpoint in DUISEndpoint.allCases {
            router.post(RouterPath(endpoint.rawValue)) { request, _ -> Response in
                try await answer(endpoint, request)
            }
        }
        var logger = Logger(label: "anchordesk.serve")
        logger.logLevel = .critical
        let application = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "AnchorDesk"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let sender {
                group.addTask { await sender.run() }
                sender.wake()
            }
            group.addTask { try await application.runService() }
            defer { service.close() }
            try await group.next()
            group.cancelAll()
        }
    }

    private func answer(_ endpoint: DUISEndpoint, _ request: Request) async throws -> Response {
        let type = (request.headers[.contentType] ?? "").lowercased()
        guard type.hasPrefix("application/xml") || type.hasPrefix("text/xml") else {
            return Self.response(.plain(415, "Content-Type must be application/xml"))
        }
        var request = request
        let body = try await request.collectBody(upTo: ParsedXML.maximumBytes)
        return Self.response(await service.handle(endpoint, body: Array(body.readableBytesView)))
    }

    private static func response(_ reply: DUISReply) -> Response {
        Response(
            status: HTTPResponse.Status(code: reply.status), headers: [.contentType: reply.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
