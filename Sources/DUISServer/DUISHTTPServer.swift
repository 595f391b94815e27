import AnchorStore
import DUIS
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import HummingbirdTLS
import NIOCore
import NIOSSL

/// `anchordesk serve`: DCC Boxed's three DUIS endpoints over HTTP, in front of a ``DUISService``,
/// and the outbox's sender when a response address is set.
public struct DUISHTTPServer: Sendable {
    /// The service the endpoints call.
    public let service: DUISService
    /// The address to listen on.
    public var host: String
    /// The port (0: any free port, told to `onListening`).
    public var port: Int
    /// The operator API beside the DUIS port (`--operator-listen`), if it is served.
    public var operatorAPI: OperatorAPIConfiguration?
    /// How many connections each port holds at once, and how long one may stay idle.
    public var connectionLimits = ConnectionLimits.standard

    /// A server for `configuration`'s store.
    /// - Parameter deliveryChanged: told when device responses stop reaching the response
    ///   address, and when they reach it again (``DUISOutboxSender``).
    public init(configuration: DUISServiceConfiguration, host: String, port: Int, operatorAPI: OperatorAPIConfiguration? = nil,
                log: @escaping @Sendable (DUISLogEntry) -> Void, deliveryChanged: @escaping @Sendable (DUISDeliveryChange) -> Void = { _ in }) {
        let sender = configuration.respondTo.map {
            DUISOutboxSender(outbox: DUISOutbox(storeDirectory: configuration.storeDirectory), destination: $0, log: log,
                             deliveryChanged: deliveryChanged)
        }
        self.sender = sender
        service = DUISService(configuration: configuration, log: log, enqueued: { sender?.wake() })
        self.host = host
        self.port = port
        self.operatorAPI = operatorAPI
    }

    private let sender: DUISOutboxSender?

    /// Serves until SIGINT or SIGTERM (or the task is cancelled); `onListening` gets the DUIS
    /// port, `onOperatorListening` the operator API's.
    /// - Throws: ``DUISServerError`` when another server has the store's outbox or the address
    ///   cannot be listened on, or a TLS file of the operator API cannot be used.
    public func run(
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }, onOperatorListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        // The operator API's files are checked before anything listens.
        let operatorTLS = try operatorAPI?.tlsConfiguration()
        // One server per store: two would both deliver the outbox's responses.
        let outbox = service.outbox
        let claim: StoreLock
        do {
            try StoreDirectory.create(path: outbox.path)
            claim = try StoreLock.acquire(directory: outbox.path, timeout: .zero)
        } catch {
            if case .locked = error.code { throw DUISServerError.alreadyServing(error.description) }
            throw error
        }
        defer { claim.release() }
        do {
            try await serve(onListening: onListening, operatorTLS: operatorTLS, onOperatorListening: onOperatorListening)
        } catch let error as IOError {
            throw DUISServerError.cannotListen("\(host):\(port)", error.errnoCode == EADDRINUSE ? "the address is in use" : "\(error)")
        } catch let error as SocketAddressError {
            throw DUISServerError.cannotListen("\(host):\(port)", "\(host) is not an address of this machine (\(error))")
        }
    }

    private func serve(
        onListening: @escaping @Sendable (Int) async -> Void, operatorTLS: TLSConfiguration?, onOperatorListening: @escaping @Sendable (Int) async -> Void
    ) async throws {
        let router = Router()
        for endpoint in DUISEndpoint.allCases {
            router.post(RouterPath(endpoint.rawValue)) { request, _ -> Response in
                try await answer(endpoint, request)
            }
        }
        var logger = Logger(label: "anchordesk.serve")
        logger.logLevel = .critical
        let application = Application(
            router: router,
            server: .http1(configuration: HTTP1Channel.Configuration(
                additionalChannelHandlers: [ConnectionCloseHandler.Installer()], idleTimeout: connectionLimits.idleTimeout)),
            configuration: applicationConfiguration(host: host, port: port, logger: logger),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let sender {
                    group.addTask { await sender.run() }
                    sender.wake()
                }
                group.addTask { try await application.runService() }
                if let operatorAPI, let operatorTLS {
                    let operators = try operatorApplication(operatorAPI, tls: operatorTLS, logger: logger, onListening: onOperatorListening)
                    group.addTask { try await operators.runService() }
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            await service.close()
            throw error
        }
        await service.close()
    }

    /// The operator API: HTTPS that requires a client certificate from the operator CA, in front
    /// of the same service (one deciding queue for both ports).
    private func operatorApplication(
        _ configuration: OperatorAPIConfiguration, tls: TLSConfiguration, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void
    ) throws -> some ApplicationProtocol {
        let router = Router(context: OperatorRequestContext.self)
        OperatorRoutes(service: service, grants: configuration.grants).add(to: router)
        return Application(
            router: router, server: try .tls(.http1(configuration: HTTP1Channel.Configuration(idleTimeout: connectionLimits.idleTimeout)), tlsConfiguration: tls),
            configuration: applicationConfiguration(host: configuration.host, port: configuration.port, logger: logger),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    /// Either port's address, with at most ``ConnectionLimits/perPort`` connections at once.
    private func applicationConfiguration(host: String, port: Int, logger: Logger) -> ApplicationConfiguration {
        ApplicationConfiguration(address: .hostname(host, port: port), serverName: "AnchorDesk",
                                 availableConnectionsDelegate: .maximum(connectionLimits.perPort, logger: logger))
    }

    private func answer(_ endpoint: DUISEndpoint, _ request: Request) async throws -> Response {
        // The router also matches `/api/v1/serviceS/`, `//api/v1/serviceS` and `?query`: only the endpoint itself is served.
        guard request.head.path == endpoint.rawValue else {
            return Self.response(.plain(404, "no such endpoint; POST to \(endpoint.rawValue) exactly"))
        }
        let type = (request.headers[.contentType] ?? "").lowercased()
        guard type.hasPrefix("application/xml") || type.hasPrefix("text/xml") else {
            return Self.response(.plain(415, "Content-Type must be application/xml"))
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > ParsedXML.maximumBytes {
            return Self.response(.plain(413, "the body is \(declared) bytes; at most \(ParsedXML.maximumBytes) are read"))
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
