import AnchorCore
import AnchorService
import AnchorStore
import DUIS
import Foundation
import SMKI
import Synchronization

/// The DUIS endpoints' one door into the engine and the store. Each request is read and its
/// signature checked first, before the store is opened and beside any number of other requests
/// (that needs nothing but the Repository's XML-signing certificates); then requests are decided
/// one at a time: Request ID, who may ask for what, the engine, made durable, and answered with a
/// response the DSP signs; a device's answer goes to the outbox before the request is acknowledged.
/// So a request that is slow to read never holds up another's reading or deciding.
///
/// Requests are read at utility priority (nice 2 on Linux), below deciding, so a flood of them
/// leaves the CPU to requests already verified. A body heavier than a DUIS request could be (over
/// ``ordinaryBytes``, or over ``ordinaryNodes`` once parsed: a DUIS request is about 4 KiB and 150
/// nodes) is read on a lane of its own, one at a time and at background priority (nice 10):
/// however many such bodies arrive, they take at most one core, and only what the rest leave of it.
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
    /// Called with each request's body as its reading starts, off the deciding queue (tests hold one there).
    let authenticationStarted: @Sendable ([UInt8]) -> Void
    /// The largest body read beside the others: four times a DUIS request with its certificates.
    public static let ordinaryBytes = 16 << 10
    /// The most nodes once parsed (``XMLShape/parsedNodes``) of a body read beside the others:
    /// five times a DUIS request's.
    public static let ordinaryNodes = 512
    /// Requests of ordinary weight are read and their signatures checked here, many at once, below deciding's priority.
    private let authenticating = DispatchQueue(label: "anchordesk.duis.authenticate", qos: .utility, attributes: .concurrent)
    /// Heavier bodies are read here, one at a time, at background priority (nice 10 on Linux).
    private let authenticatingHeavy = DispatchQueue(label: "anchordesk.duis.authenticate-heavy", qos: .background)
    /// Every verified request is decided here, one at a time, off the server's event loops; the
    /// properties below it are touched only on it.
    let queue = DispatchQueue(label: "anchordesk.duis.service")
    private var session: DUISSession?
    private var lastRequest = DispatchTime.now()
    /// The Repository's XML-signing credentials as last read, and the folder's stamp then.
    private let xmlSigning = Mutex<(credentials: XMLSigningCredentials, stamp: String)?>(nil)

    /// A service over `configuration`'s store.
    public convenience init(
        configuration: DUISServiceConfiguration, log: @escaping @Sendable (DUISLogEntry) -> Void = { _ in },
        enqueued: @escaping @Sendable () -> Void = {}
    ) {
        self.init(configuration: configuration, log: log, enqueued: enqueued, authenticationStarted: { _ in })
    }

    init(
        configuration: DUISServiceConfiguration, log: @escaping @Sendable (DUISLogEntry) -> Void, enqueued: @escaping @Sendable () -> Void,
        authenticationStarted: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.configuration = configuration
        outbox = DUISOutbox(storeDirectory: configuration.storeDirectory)
        self.log = log
        self.enqueued = enqueued
        self.authenticationStarted = authenticationStarted
    }

    /// Answers one POST to `endpoint`.
    public func handle(_ endpoint: DUISEndpoint, body: [UInt8]) async -> DUISReply {
        await handle(endpoint, body: body, caller: .user).reply
    }

    /// Answers one signed request from `caller`: what it came to, with the request as recorded
    /// and (for an operator) the device's response.
    func handle(_ endpoint: DUISEndpoint, body: [UInt8], caller: DUISCaller) async -> DUISResponder.Outcome {
        let read = await withCheckedContinuation { (continuation: CheckedContinuation<Authentication, Never>) in
            authenticating.async {
                guard DUISService.isOrdinary(body) else {
                    self.authenticatingHeavy.async { continuation.resume(returning: self.authenticate(endpoint, body, caller: caller)) }
                    return
                }
                continuation.resume(returning: self.authenticate(endpoint, body, caller: caller))
            }
        }
        switch read {
        case .answered(let outcome):
            return outcome
        case .verified(let verified, let responder, let requestID):
            return await perform(on: queue) { self.decide(endpoint, verified, responder: responder, requestID: requestID, caller: caller) }
        }
    }

    /// Whether a body weighs no more than a DUIS request could: at most ``ordinaryBytes`` and
    /// ``ordinaryNodes`` (counted on its bytes in one linear pass). One the shape limits refuse
    /// is refused at once on either lane, so it counts as ordinary.
    public static func isOrdinary(_ body: [UInt8]) -> Bool {
        guard body.count <= ordinaryBytes else { return false }
        guard let shape = try? XMLShape(measuring: body) else { return true }
        return shape.parsedNodes <= ordinaryNodes
    }

    /// Closes the store if it is open (the server is stopping).
    public func close() async {
        await perform(on: queue) { self.closeSession() }
    }

    func perform<Value: Sendable>(on queue: DispatchQueue, _ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    /// What reading a request and checking its signature came to.
    private enum Authentication: Sendable {
        /// Answered without the store (refused, or the server cannot answer): logged already.
        case answered(DUISResponder.Outcome)
        /// Its signature verified: decide it.
        case verified(DUISAuthentication.Verified, DUISResponder, requestID: String)
    }

    /// Reads the request and checks its signature, before anything opens the store.
    private func authenticate(_ endpoint: DUISEndpoint, _ body: [UInt8], caller: DUISCaller) -> Authentication {
        authenticationStarted(body)
        let document: ParsedXML
        do {
            document = try ParsedXML(body)
        } catch {
            return .answered(finish(endpoint, "-", caller: caller, DUISResponder.Outcome(reply: .plain(400, error.description), code: "400", note: error.description)))
        }
        let header = DUISHeaderText(document)
        guard let requestID = header.requestID else {
            let why = "the request has no readable sr:Header/sr:RequestID"
            return .answered(finish(endpoint, "-", caller: caller, DUISResponder.Outcome(reply: .plain(400, why), code: "400", note: why)))
        }
        let responder: DUISResponder
        do {
            responder = DUISResponder(xmlSigning: try signingCredentials(), clock: configuration.date)
        } catch {
            return .answered(finish(endpoint, requestID, caller: caller, DUISResponder.Outcome(
                reply: .plain(503, error.withoutPath.description), code: "503", note: error.description)))
        }
        do {
            let verified = try DUISAuthentication.verify(document, with: responder.xmlSigning, at: configuration.date())
            return .verified(verified, responder, requestID: requestID)
        } catch let unread as DUISAuthentication.UnreadRequest {
            return .answered(finish(endpoint, requestID, caller: caller, DUISResponder.Outcome(reply: .plain(400, unread.reason), code: "400", note: unread.reason)))
        } catch {
            let refusal = error as? DUISRefusal ?? DUISRefusal(.notAuthenticated, "\(error)")
            return .answered(finish(endpoint, requestID, caller: caller, responder.respond(
                requestID: requestID, service: (header.serviceReference, header.serviceReferenceVariant), code: refusal.code, note: refusal.reason)))
        }
    }

    /// Decides a verified request in the open store, on ``queue``.
    private func decide(
        _ endpoint: DUISEndpoint, _ verified: DUISAuthentication.Verified, responder: DUISResponder, requestID: String, caller: DUISCaller
    ) -> DUISResponder.Outcome {
        defer { scheduleIdleClose() }
        let session: DUISSession
        do {
            session = try openSession()
        } catch {
            let why = "the store could not be opened: "
            return finish(endpoint, requestID, caller: caller, DUISResponder.Outcome(
                reply: .plain(503, why + error.withoutPath.description), code: "503", note: why + error.description))
        }
        let outcome = session.answer(endpoint, verified, responder: responder, caller: caller)
        // After a failed write the store is opened afresh for the next request.
        if outcome.reply.status >= 500 { closeSession() }
        return finish(endpoint, requestID, caller: caller, outcome)
    }

    /// Logs what a request came to (one line) and wakes the sender for a new device response.
    private func finish(_ endpoint: DUISEndpoint, _ requestID: String, caller: DUISCaller, _ outcome: DUISResponder.Outcome) -> DUISResponder.Outcome {
        log(DUISLogEntry(time: configuration.date(), endpoint: caller.subject == nil ? endpoint.rawValue : OperatorAPIPath.duis(endpoint), requestID: DUISRequest.shown(requestID), code: outcome.code,
                         note: DUISRequest.shown(outcome.note, limit: 400), operatorSubject: caller.subject))
        if outcome.enqueued { enqueued() }
        return outcome
    }

    /// The Repository's XML-signing certificates and the DSP's key, read again when a certificate is imported.
    private func signingCredentials() throws(StoreError) -> XMLSigningCredentials {
        let vault = CredentialVault(storeDirectory: configuration.storeDirectory)
        return try xmlSigning.withLock { (known: inout (credentials: XMLSigningCredentials, stamp: String)?) throws(StoreError) in
            let stamp = vault.xmlSigningChangeStamp
            if let known, known.stamp == stamp { return known.credentials }
            guard let read = try vault.readXMLSigningCredentials() else {
                throw StoreError.invalidArgument("the store has no DSP XML-signing key yet; 'anchordesk serve' makes one as it starts")
            }
            known = (read, stamp)
            return read
        }
    }

    func openSession() throws(ServiceError) -> DUISSession {
        if let session { return session }
        let opened = DUISSession(session: try configuration.service.openSession(processingDueAlerts: false),
                                 configuration: configuration, outbox: outbox)
        session = opened
        return opened
    }

    func closeSession() {
        session?.session.close()
        session = nil
    }

    func scheduleIdleClose() {
        guard !configuration.holdsStore else { return }
        let stamp = DispatchTime.now()
        lastRequest = stamp
        queue.asyncAfter(deadline: stamp + DUISService.idleClose) { [self] in
            if lastRequest == stamp { closeSession() }
        }
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
