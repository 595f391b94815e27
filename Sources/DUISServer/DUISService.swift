import AnchorCore
import AnchorStore
import DUIS
import Foundation

/// The DUIS endpoints' one door into the engine and the store. Requests are decided one at a
/// time: each is checked (XML, signature, Request ID, who may ask for what), decided by the
/// engine, made durable, and answered with a response the DSP signs; a device's answer goes to
/// the outbox before the request is acknowledged.
///
/// The store stays open for writing while requests keep coming and is closed after
/// ``idleClose`` without one, so the console and CLI can write between bursts (their writes
/// wait for the lock meanwhile, as they wait for each other's).
public final class DUISService: @unchecked Sendable {
    /// How it acts.
    public let configuration: DUISServiceConfiguration
    /// Where device responses wait for the User's endpoint.
    public let outbox: DUISOutbox
    /// How long the store stays open with no request.
    public static let idleClose: DispatchTimeInterval = .milliseconds(500)
    /// Called with one line per request (time, endpoint, Request ID, code, why), for the server's log.
    let log: @Sendable (String) -> Void
    /// Called after a response is put in the outbox, to wake the sender.
    let enqueued: @Sendable () -> Void
    /// Every request is decided here, one at a time, off the server's event loops; ``session``
    /// and ``lastRequest`` are touched only on it.
    private let queue = DispatchQueue(label: "anchordesk.duis.service")
    private var session: DUISSession?
    private var lastRequest = DispatchTime.now()

    /// A service over `configuration`'s store.
    public init(
        configuration: DUISServiceConfiguration, log: @escaping @Sendable (String) -> Void = { _ in },
        enqueued: @escaping @Sendable () -> Void = {}
    ) {
        self.configuration = configuration
        outbox = DUISOutbox(storeDirectory: configuration.storeDirectory)
        self.log = log
        self.enqueued = enqueued
    }

    /// Answers one POST to `endpoint`.
    public func handle(_ endpoint: DUISEndpoint, body: [UInt8]) async -> DUISReply {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.handleNow(endpoint, body: body)) }
        }
    }

    /// Closes the store if it is open (the server is stopping).
    public func close() {
        queue.sync { closeSession() }
    }

    /// As ``handle(_:body:)``, on ``queue``.
    private func handleNow(_ endpoint: DUISEndpoint, body: [UInt8]) -> DUISReply {
        defer { scheduleIdleClose() }
        let document: ParsedXML
        do {
            document = try ParsedXML(body)
        } catch {
            return refuseUnread(endpoint, error.description)
        }
        let header = DUISHeaderText(document)
        guard let requestID = header.requestID else {
            return refuseUnread(endpoint, "the request has no readable sr:Header/sr:RequestID")
        }
        let session: DUISSession
        do {
            session = try openSession()
        } catch {
            log(line(endpoint, requestID, "503", "the store could not be opened: \(error.description)"))
            return .plain(503, "the store could not be opened: \(error.description)")
        }
        let outcome = session.answer(endpoint, body: body, header: header)
        log(line(endpoint, requestID, outcome.code, outcome.note))
        // After a failed write the store is opened afresh for the next request.
        if outcome.reply.status >= 500 { closeSession() }
        if outcome.enqueued { enqueued() }
        return outcome.reply
    }

    private func openSession() throws(StoreError) -> DUISSession {
        if let session { return session }
        let store = try Store.open(at: configuration.storeDirectory, access: .readWrite(lockTimeout: configuration.lockTimeout))
        do {
            let opened = try DUISSession(store: store, configuration: configuration, outbox: outbox)
            session = opened
            return opened
        } catch {
            store.close()
            throw error
        }
    }

    private func closeSession() {
        session?.store.close()
        session = nil
    }

    private func scheduleIdleClose() {
        let stamp = DispatchTime.now()
        lastRequest = stamp
        queue.asyncAfter(deadline: stamp + DUISService.idleClose) { [self] in
            if lastRequest == stamp { closeSession() }
        }
    }

    private func refuseUnread(_ endpoint: DUISEndpoint, _ why: String) -> DUISReply {
        log(line(endpoint, "-", "400", why))
        return .plain(400, why)
    }

    private func line(_ endpoint: DUISEndpoint, _ requestID: String, _ code: String, _ note: String) -> String {
        let time = ISO8601DateFormatter().string(from: configuration.clock())
        return "\(time) \(endpoint.rawValue) \(DUISRequest.shown(requestID)) \(code) \(DUISRequest.shown(note))"
    }
}

/// The header fields read before the signature is checked, only to address a refusal.
struct DUISHeaderText {
    var requestID: String?
    var serviceReference: String
    var serviceReferenceVariant: String

    init(_ document: ParsedXML) {
        let header = document.root?.child("Header", in: DUISSchema.namespace)
        requestID = header?.child("RequestID", in: DUISSchema.namespace)?.text
        serviceReference = header?.child("ServiceReference", in: DUISSchema.namespace)?.text ?? ""
        serviceReferenceVariant = header?.child("ServiceReferenceVariant", in: DUISSchema.namespace)?.text ?? ""
    }
}
