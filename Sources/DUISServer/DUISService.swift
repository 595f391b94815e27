import AnchorCore
import AnchorStore
import DUIS
import Foundation

/// The DUIS endpoints' one door into the engine and the store: each request, in turn, opens the
/// store for writing (as a CLI command does, so the console and CLI keep working beside it),
/// is checked (XML, signature, Request ID, who may ask for what), decided by the engine, made
/// durable, and answered with a response the DSP signs. A device's answer goes to the outbox
/// before the request is acknowledged.
public final class DUISService: Sendable {
    /// How it acts.
    public let configuration: DUISServiceConfiguration
    /// Where device responses wait for the User's endpoint.
    public let outbox: DUISOutbox
    /// Called with one line per request (time, endpoint, Request ID, code, why), for the server's log.
    let log: @Sendable (String) -> Void
    /// Requests are decided one at a time, off the server's event loops.
    private let queue = DispatchQueue(label: "anchordesk.duis.service")
    /// Called after a response is put in the outbox, to wake the sender.
    let enqueued: @Sendable () -> Void

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

    /// As ``handle(_:body:)``, on the calling thread.
    func handleNow(_ endpoint: DUISEndpoint, body: [UInt8]) -> DUISReply {
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
        let store: Store
        do {
            store = try Store.open(at: configuration.storeDirectory, access: .readWrite(lockTimeout: configuration.lockTimeout))
        } catch {
            log(line(endpoint, requestID, "503", "the store could not be opened: \(error.description)"))
            return .plain(503, "the store could not be opened: \(error.description)")
        }
        defer { store.close() }
        let session: DUISSession
        do {
            session = try DUISSession(store: store, configuration: configuration, outbox: outbox)
        } catch {
            log(line(endpoint, requestID, "503", error.description))
            return .plain(503, error.description)
        }
        let outcome = session.answer(endpoint, body: body, header: header)
        log(line(endpoint, requestID, outcome.code, outcome.note))
        if outcome.enqueued { enqueued() }
        return outcome.reply
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
