import AnchorCore
import AnchorStore
import DUIS
import Foundation
import GPFSimulator
import SMKI

/// One request's time with the store, open for writing: the checks DUIS makes before a
/// service runs, then the service.
struct DUISSession {
    /// What one request came to.
    struct Outcome {
        /// The HTTP answer.
        var reply: DUISReply
        /// The DUIS code (or HTTP status) for the log.
        var code: String
        /// Why, for the log.
        var note: String
        /// Whether a device response went to the outbox.
        var enqueued = false
    }

    let store: Store
    let configuration: DUISServiceConfiguration
    let outbox: DUISOutbox
    let credentials: EstateCredentials
    let xmlSigning: XMLSigningCredentials

    /// The time to stamp on what this request does.
    var now: Timestamp { configuration.now }

    /// The store's SMKI material, read once while the store stays open: only writers that wait
    /// for its lock (certificate imports, subscriptions) change it.
    /// - Throws: ``StoreError`` when the SMKI material cannot be read or made.
    init(store: Store, configuration: DUISServiceConfiguration, outbox: DUISOutbox) throws(StoreError) {
        self.store = store
        self.configuration = configuration
        self.outbox = outbox
        let vault = CredentialVault(storeDirectory: store.directory)
        let validFrom = Date(timeIntervalSince1970: TimeInterval(configuration.now.secondsSince1970))
        credentials = try vault.credentials(for: store.estate.ledger, validFrom: validFrom)
        xmlSigning = try vault.xmlSigningCredentials(for: store.estate.ledger, validFrom: validFrom)
    }

    /// Checks and answers one request; due future-dated commands execute first, as for every writer.
    func answer(_ endpoint: DUISEndpoint, body: [UInt8], header: DUISHeaderText) -> Outcome {
        do {
            let now = self.now
            if store.hasDueAlertWork(at: now) { _ = try store.deliverDueAlerts(now: now, credentials: credentials) }
            return try checkedAnswer(endpoint, body: body)
        } catch let refusal as DUISRefusal {
            return respond(requestID: header.requestID ?? "", service: (header.serviceReference, header.serviceReferenceVariant),
                           code: refusal.code, note: refusal.reason)
        } catch let unread as UnreadRequest {
            return Outcome(reply: .plain(400, unread.reason), code: "400", note: unread.reason)
        } catch let error as RequestError {
            let reference = (header.serviceReference, header.serviceReferenceVariant)
            switch error {
            case .unknownDevice: return respond(requestID: header.requestID ?? "", service: reference, code: .unknownDevice, note: error.description)
            case .unknownOrganisation: return respond(requestID: header.requestID ?? "", service: reference, code: .notAuthenticated, note: error.description)
            case .unknownCertificate: return respond(requestID: header.requestID ?? "", service: reference, code: .replacementCertificateRefused, note: error.description)
            case .invalidRequest(let why): return Outcome(reply: .plain(400, why), code: "400", note: why)
            }
        } catch let error as StoreError {
            let why = "the request was not acknowledged: \(error.description)"
            return Outcome(reply: .plain(503, why), code: "503", note: why)
        } catch {
            return Outcome(reply: .plain(500, "\(error)"), code: "500", note: "\(error)")
        }
    }

    /// A request that is not DUIS AnchorDesk can answer in DUIS.
    struct UnreadRequest: Error {
        var reason: String
    }

    private func checkedAnswer(_ endpoint: DUISEndpoint, body: [UInt8]) throws -> Outcome {
        let signer: OrganisationCertificate
        let document: ParsedXML
        do {
            var named: OrganisationCertificate?
            document = try XMLSignature.verify(body) { name throws(XMLSignatureError) in
                guard let certificate = xmlSigning.certificate(issuer: name.issuer, serial: name.serial) else {
                    throw .unknownSigner("no XML-signing certificate of issuer '\(DUISRequest.shown(name.issuer))', serial \(DUISRequest.shown(name.serial)) in the Repository")
                }
                guard certificate.xmlSigningRole == .user, let key = certificate.publicKey else {
                    throw .unknownSigner("the certificate is not a User's XML-signing certificate (OU=87)")
                }
                named = certificate
                return key
            }.document
            guard let named else { throw DUISRefusal(.notAuthenticated, "no signer") }
            signer = named
        } catch let error as XMLSignatureError {
            if case .malformed(let why) = error { throw UnreadRequest(reason: why) }
            throw DUISRefusal(.notAuthenticated, error.description)
        }
        let request: DUISRequest
        do {
            request = try DUISRequest(document)
        } catch {
            throw UnreadRequest(reason: error.description)
        }
        let id = request.requestID
        guard signer.entityId == id.originator else {
            throw DUISRefusal(.notAuthenticated, "the request is signed by \(signer.entityId?.description ?? "an unnamed entity"), not by its originator \(id.originator)")
        }
        guard DUISEndpoint.of(commandVariant: request.commandVariant) == endpoint else {
            throw DUISRefusal(.wrongEndpoint, "CommandVariant \(request.commandVariant) is not sent to \(endpoint.rawValue)")
        }
        let service = try DUISServiceMapping.service(of: request)
        let ledger = store.estate.ledger
        guard let originator = ledger.organisations.first(where: { $0.entityId == id.originator }) else {
            throw DUISRefusal(.notAuthenticated, "no organisation has entity ID \(id.originator)")
        }
        let eligible: OrganisationRole = service == .updateSecurityCredentials ? .networkOperator : .supplier
        guard originator.role == eligible else {
            throw DUISRefusal(.roleNotEligible, "\(originator.id) is a \(originator.role.label); \(service == .updateSecurityCredentials ? "SRV6.15.1 into Network Operator cells is the Network Operator's" : "only a Supplier may request SRV6.21")")
        }
        guard originator.dccUser else { throw DUISRefusal(.userStatus, "\(originator.id) is not a DCC User") }
        guard let device = store.estate.devices[id.target] else { throw DUISRefusal(.unknownDevice, "no device \(id.target)") }
        guard id.counter > originator.lastCounter.value else {
            throw DUISRefusal(service == .updateSecurityCredentials ? .updateCounterNotIncreasing : .handoverCounterNotIncreasing,
                              "the Request ID's counter \(id.counter) is not above \(originator.id)'s last, \(originator.lastCounter)")
        }
        switch request.body {
        case .updateSecurityCredentials(let body):
            return try transform(request, body: body, sender: originator)
        case .signedPreCommand(let gbcs, let execution):
            return try sendSignedPreCommand(request, gbcs: gbcs, execution: execution, sender: originator, device: device)
        case .requestHandover(let body):
            guard device.supplier == originator.id else {
                throw DUISRefusal(.notAuthorisedForDevice, "\(originator.id) is not the Responsible Supplier of \(device.id)")
            }
            return try requestHandover(request, body: body, supplier: originator)
        }
    }

    /// A signed `sr:Response` with this code, for the request's own Request ID and service.
    func respond(
        requestID: String, service: (String, String), code: DUISResponseCode, note: String, payload: DUISResponse.Payload = .none
    ) -> Outcome {
        let response = DUISResponse(
            requestID: requestID, code: code, dateTime: configuration.clock(), serviceReference: service.0,
            serviceReferenceVariant: service.1, payload: payload)
        do {
            return Outcome(reply: .duis(try sign(response)), code: code.rawValue, note: note)
        } catch {
            return Outcome(reply: .plain(500, "the response could not be signed: \(error)"), code: "500", note: "\(error)")
        }
    }

    /// The response signed with the DSP's XML-signing key.
    func sign(_ response: DUISResponse) throws -> [UInt8] {
        try XMLSignature.sign(
            response.xml, key: xmlSigning.dspKey,
            keyName: XMLSignature.KeyName(issuer: xmlSigning.dspCertificate.issuerName, serial: xmlSigning.dspCertificate.decimalSerial))
    }
}
