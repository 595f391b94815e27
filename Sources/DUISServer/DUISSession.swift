import AnchorCore
import AnchorService
import AnchorStore
import DUIS
import Foundation
import SMKI

/// The store open for writing while requests keep coming: the checks DUIS makes once a
/// request's signature has verified, then the service.
struct DUISSession {
    typealias Outcome = DUISResponder.Outcome

    /// The DSP's session with the store, kept open while requests keep coming.
    let session: ServiceSession
    let configuration: DUISServiceConfiguration
    let outbox: DUISOutbox

    /// The time to stamp on what a request does.
    var now: Timestamp { session.now() }

    /// The estate as the session holds it.
    var estate: Estate { session.estate }

    /// Decides one verified request; due future-dated commands execute first, as for every writer.
    func answer(_ endpoint: DUISEndpoint, _ verified: DUISAuthentication.Verified, responder: DUISResponder, caller: DUISCaller) -> Outcome {
        let request = verified.request
        let reference = (request.serviceReference, request.serviceReferenceVariant)
        // A refusal leaves nothing staged: what it held is let go for the next request.
        defer { session.release() }
        do {
            // An operator acting for a User it was not granted is refused before anything is written.
            if let originator = originator(of: request) { try caller.check(actingFor: originator.id) }
            try session.deliverDueAlerts()
            return try checkedAnswer(endpoint, request, responder: responder, caller: caller)
        } catch let refusal as OperatorRefusal {
            return Outcome(reply: .plain(403, refusal.reason), code: "403", note: refusal.reason)
        } catch let refusal as DUISRefusal {
            return responder.respond(requestID: request.requestID.description, service: reference, code: refusal.code, note: refusal.reason)
        } catch let error as RequestError {
            return outcome(of: .request(error), request: request, responder: responder)
        } catch let error as StoreError {
            return outcome(of: .store(error), request: request, responder: responder)
        } catch let error as ServiceError {
            return outcome(of: error, request: request, responder: responder)
        } catch {
            return Outcome(reply: .plain(500, "\(error)"), code: "500", note: "\(error)")
        }
    }

    /// A use case's failure as DUIS says it: unknown IDs as response codes, a malformed request
    /// as HTTP 400, a store that could not be used or written as HTTP 503.
    private func outcome(of error: ServiceError, request: DUISRequest, responder: DUISResponder) -> Outcome {
        let reference = (request.serviceReference, request.serviceReferenceVariant)
        switch error {
        case .request(.unknownDevice):
            return responder.respond(requestID: request.requestID.description, service: reference, code: .unknownDevice, note: error.description)
        case .request(.unknownOrganisation), .missingUserKey:
            return responder.respond(requestID: request.requestID.description, service: reference, code: .notAuthenticated, note: error.description)
        case .request(.unknownCertificate):
            return responder.respond(requestID: request.requestID.description, service: reference, code: .replacementCertificateRefused,
                                     note: error.description)
        case .request(.invalidRequest(let why)):
            return Outcome(reply: .plain(400, why), code: "400", note: why)
        case .store(let failure), .notAcknowledged(let failure, _):
            let why = "the request was not acknowledged: "
            return Outcome(reply: .plain(503, why + failure.withoutPath.description), code: "503", note: why + failure.description)
        case .badEnvironment(let why):
            return Outcome(reply: .plain(500, why), code: "500", note: why)
        }
    }

    private func checkedAnswer(_ endpoint: DUISEndpoint, _ request: DUISRequest, responder: DUISResponder, caller: DUISCaller) throws -> Outcome {
        let id = request.requestID
        guard DUISEndpoint.of(commandVariant: request.commandVariant) == endpoint else {
            throw DUISRefusal(.wrongEndpoint, "CommandVariant \(request.commandVariant) is not sent to \(endpoint.rawValue)")
        }
        let service = try DUISServiceMapping.service(of: request)
        // No copy of the ledger outlives this lookup: one held across the commit would make the
        // commit copy the whole request log (copy-on-write) to append to it.
        guard let originator = originator(of: request) else {
            throw DUISRefusal(.notAuthenticated, "no organisation has entity ID \(id.originator)")
        }
        let eligible: OrganisationRole = service == .updateSecurityCredentials ? .networkOperator : .supplier
        guard originator.role == eligible else {
            throw DUISRefusal(.roleNotEligible, "\(originator.id) is a \(originator.role.label); \(service == .updateSecurityCredentials ? "SRV6.15.1 into Network Operator cells is the Network Operator's" : "only a Supplier may request SRV6.21")")
        }
        guard originator.dccUser else { throw DUISRefusal(.userStatus, "\(originator.id) is not a DCC User") }
        // From here the device and the counters this request uses are held for it alone.
        let acb = estate.ledger.soleOrganisation(withRole: .acb).map { [$0.id] } ?? []
        try session.prepare(devices: [id.target], counterOwners: [originator.id] + (service == .updateSecurityCredentials ? [] : acb))
        guard let device = estate.devices[id.target] else { throw DUISRefusal(.unknownDevice, "no device \(id.target)") }
        guard let originator = estate.ledger.organisation(originator.id) else {
            throw DUISRefusal(.notAuthenticated, "no organisation has entity ID \(id.originator)")
        }
        guard id.counter > originator.lastCounter.value else {
            throw DUISRefusal(service == .updateSecurityCredentials ? .updateCounterNotIncreasing : .handoverCounterNotIncreasing,
                              "the Request ID's counter \(id.counter) is not above \(originator.id)'s last, \(originator.lastCounter)")
        }
        switch request.body {
        case .updateSecurityCredentials(let body):
            return try transform(request, body: body, sender: originator, responder: responder)
        case .signedPreCommand(let gbcs, let execution):
            return try sendSignedPreCommand(
                request, gbcs: gbcs, execution: execution, sender: originator, device: device, responder: responder, caller: caller)
        case .requestHandover(let body):
            guard device.supplier == originator.id else {
                throw DUISRefusal(.notAuthorisedForDevice, "\(originator.id) is not the Responsible Supplier of \(device.id)")
            }
            return try requestHandover(request, body: body, supplier: originator, responder: responder, caller: caller)
        }
    }

    /// The organisation whose entity ID the Request ID names, if the ledger holds one.
    private func originator(of request: DUISRequest) -> Organisation? {
        estate.ledger.organisations.first { $0.entityId == request.requestID.originator }
    }
}
