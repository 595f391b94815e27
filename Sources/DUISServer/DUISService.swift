import AnchorCore
import AnchorService
import AnchorStore
import DUIS
import Foundation
import SMKI

/// The DUIS endpoints' one door into the engine and the store. Requests are decided one at a
/// time: each is checked (XML, then its signature, before the store is opened; then Request
/// ID, who may ask for what), decided by the engine, made durable, and answered with a
/// response the DSP signs; a device's answer goes to the outbox before the request is acknowledged.
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
    /// Called with one entry per request (time, endpoint, Request ID, code, why), for the server's log.
    let log: @Sendable (DUISLogEntry) -> Void
    /// Called after a response is put in the outbox, to wake the sender.
    let enqueued: @Sendable () -> Void
    /// Every request is decided here, one at a time, off the server's event loops; the
    /// properties below it are touched only on it.
    private let queue = DispatchQueue(label: "anchordesk.duis.service")
    private var session: DUISSession?
    private var lastRequest = DispatchTime.now()
    private var xmlSigning: XMLSigningCredentials?
    private var xmlSigningStamp = ""

    /// A service over `configuration`'s store.
    public init(
        configuration: DUISServiceConfiguration, log: @escaping @Sendable (DUISLogEntry) -> Void = { _ in },
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
    public func close() async {
        await withCheckedContinuation { continuation in
            queue.async {
                self.closeSession()
                continuation.resume()
            }
        }
    }

    /// As ``handle(_:body:)``, on ``queue``.
    private func handleNow(_ endpoint: DUISEndpoint, body: [UInt8]) -> DUISReply {
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
        let responder: DUISResponder
        do {
            responder = DUISResponder(xmlSigning: try signingCredentials(), clock: configuration.date)
        } catch {
            log(line(endpoint, requestID, "503", error.description))
            return .plain(503, error.description)
        }
        let outcome = answer(endpoint, document: document, header: header, responder: responder)
        log(line(endpoint, requestID, outcome.code, outcome.note))
        if outcome.enqueued { enqueued() }
        return outcome.reply
    }

    /// Authenticates the request before anything opens the store, then decides it in the open store.
    private func answer(_ endpoint: DUISEndpoint, document: ParsedXML, header: DUISHeaderText, responder: DUISResponder) -> DUISResponder.Outcome {
        let verified: DUISAuthentication.Verified
        do {
            verified = try DUISAuthentication.verify(document, with: responder.xmlSigning, at: configuration.date())
        } catch let unread as DUISAuthentication.UnreadRequest {
            return DUISResponder.Outcome(reply: .plain(400, unread.reason), code: "400", note: unread.reason)
        } catch {
            let refusal = error as? DUISRefusal ?? DUISRefusal(.notAuthenticated, "\(error)")
            return responder.respond(requestID: header.requestID ?? "", service: (header.serviceReference, header.serviceReferenceVariant),
                                     code: refusal.code, note: refusal.reason)
        }
        defer { scheduleIdleClose() }
        let session: DUISSession
        do {
            session = try openSession()
        } catch {
            let why = "the store could not be opened: \(error.description)"
            return DUISResponder.Outcome(reply: .plain(503, why), code: "503", note: why)
        }
        let outcome = session.answer(endpoint, verified, responder: responder)
        // After a failed write the store is opened afresh for the next request.
        if outcome.reply.status >= 500 { closeSession() }
        return outcome
    }

    /// The Repository's XML-signing certificates and the DSP's key, read again when a certificate is imported.
    private func signingCredentials() throws(StoreError) -> XMLSigningCredentials {
        let vault = CredentialVault(storeDirectory: configuration.storeDirectory)
        let stamp = vault.xmlSigningChangeStamp
        if let xmlSigning, stamp == xmlSigningStamp { return xmlSigning }
        guard let read = try vault.readXMLSigningCredentials() else {
            throw StoreError.invalidArgument("the store has no DSP XML-signing key yet; 'anchordesk serve' makes one as it starts")
        }
        xmlSigning = read
        xmlSigningStamp = stamp
        return read
    }

    private func openSession() throws(ServiceError) -> DUISSession {
        if let session { return session }
        let opened = DUISSession(session: try configuration.service.openSession(processingDueAlerts: false),
                                 configuration: configuration, outbox: outbox)
        session = opened
        return opened
    }

    private func closeSession() {
        session?.session.close()
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

    private func line(_ endpoint: DUISEndpoint, _ requestID: String, _ code: String, _ note: String) -> DUISLogEntry {
        DUISLogEntry(time: configuration.date(), endpoint: endpoint.rawValue, requestID: DUISRequest.shown(requestID), code: code,
                     note: DUISRequest.shown(note, limit: 400))
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
