import AnchorCore
import AnchorService
import AnchorStore
import DUIS
import GPFSimulator
import SMKI

extension DUISSession {
    /// SRV6.15.1, CommandVariant 4: the engine decides, and the command it would send comes back
    /// as the pre-command (`I0`). Nothing is sent and nothing changes.
    func transform(_ request: DUISRequest, body: CredentialsReplacement, sender: Organisation, responder: DUISResponder) throws -> Outcome {
        let mapped = try DUISServiceMapping.updateSecurityCredentials(
            body, requestID: request.requestID, sender: sender, directory: try session.credentials().directory)
        let transform = try session.preCommand(for: .updateSecurityCredentials(mapped))
        let record = transform.decision.request
        guard let preCommand = transform.preCommand else {
            throw DUISRefusal(DUISServiceMapping.code(for: record.reason ?? .notAuthorised, service: .updateSecurityCredentials), record.detail)
        }
        return responder.respond(
            requestID: request.requestID.description, service: (request.serviceReference, request.serviceReferenceVariant),
            code: .success, note: "pre-command of \(preCommand.encoded.count) bytes",
            payload: .preCommand(gbcsVersion: DUISServiceMapping.gbcsVersion, gbcs: preCommand.encoded))
    }

    /// SRV6.15.1, CommandVariant 5: the signed pre-command must be the engine's pre-command for
    /// the request it describes, signed by the certificate in the device's authorising cell;
    /// then it goes to the device with the User's own signature.
    func sendSignedPreCommand(
        _ request: DUISRequest, gbcs: [UInt8], execution: CommandExecution, sender: Organisation, device: Device, responder: DUISResponder,
        caller: DUISCaller
    ) throws -> Outcome {
        let directory = try session.credentials().directory
        let signed = try DUISServiceMapping.signedPreCommand(
            gbcs, execution: execution, requestID: request.requestID, sender: sender, directory: directory)
        let expected = try session.preCommand(for: .updateSecurityCredentials(signed.request))
        guard let preCommand = expected.preCommand else {
            let record = expected.decision.request
            throw DUISRefusal(DUISServiceMapping.code(for: record.reason ?? .notAuthorised, service: .updateSecurityCredentials), record.detail)
        }
        guard preCommand.signedBytes == signed.signedBytes else {
            throw DUISRefusal(.signedPreCommandRefused, "the signed bytes are not the pre-command AnchorDesk makes for this request")
        }
        let authorising = device.cells[.networkOperatorDS].flatMap { directory[$0] }
        guard let authorising, authorising.verifies(signature: signed.signature, over: signed.signedBytes) else {
            throw DUISRefusal(.signedPreCommandRefused, "the signature does not verify with the certificate in \(device.id)'s Network Operator Digital Signing cell")
        }
        let evaluation = try session.decide(
            .updateSecurityCredentials(signed.request),
            presigned: (sender.entityId, PresignedCommandSigner(signedBytes: signed.signedBytes, signature: signed.signature)))
        return try acknowledge(request, evaluation, service: .updateSecurityCredentials, responder: responder, caller: caller)
    }

    /// SRV6.21, CommandVariant 1: the ACB signs the command with the counter the recorded-counter rule gives.
    func requestHandover(
        _ request: DUISRequest, body: CredentialsReplacement, supplier: Organisation, responder: DUISResponder, caller: DUISCaller
    ) throws -> Outcome {
        let mapped = try DUISServiceMapping.requestHandover(
            body, requestID: request.requestID, supplier: supplier, ledger: estate.ledger, directory: try session.credentials().directory,
            legacyCounters: configuration.legacyCounters)
        // Held now with the incoming GNO's counter too, so its cease cannot be decided meanwhile.
        try session.prepare(for: .requestHandover(mapped))
        let evaluation = try session.decide(.requestHandover(mapped))
        return try acknowledge(request, evaluation, service: .requestHandover, responder: responder, caller: caller)
    }

    /// Makes the engine's decision durable. A refusal before the device is answered with its
    /// code; otherwise the request is acknowledged (`I99`) and the device's answer goes to the
    /// outbox, or, for an operator, comes back with the acknowledgement.
    private func acknowledge(
        _ request: DUISRequest, _ evaluation: WireEvaluation, service: DUISServiceMapping.Service, responder: DUISResponder, caller: DUISCaller
    ) throws -> Outcome {
        var change = evaluation.change
        // An operator's request names it in the request log, and so in the audit chain.
        change.ledger.request.operatorSubject = caller.subject
        try session.commit(change)
        _ = session.compactIfDue()
        let record = change.ledger.request
        let reference = (request.serviceReference, request.serviceReferenceVariant)
        guard let exchange = evaluation.exchanges.last else {
            var refused = responder.respond(
                requestID: request.requestID.description, service: reference,
                code: DUISServiceMapping.code(for: record.reason ?? .notAuthorised, service: service), note: record.detail)
            refused.record = record
            return refused
        }
        let deviceResponse = DUISResponse(
            requestID: request.requestID.description, responseID: request.requestID.responseID,
            code: exchange.response == nil ? .noDeviceResponse : .success, dateTime: configuration.date(),
            serviceReference: reference.0, serviceReferenceVariant: reference.1,
            payload: exchange.response.map(DUISResponse.Payload.gbcs) ?? .none)
        let signedResponse = try responder.sign(deviceResponse)
        var outcome = responder.respond(requestID: request.requestID.description, service: reference, code: .accepted, note: record.detail)
        outcome.record = record
        if case .operator = caller {
            outcome.deviceResponse = signedResponse
        } else {
            try outbox.enqueue(signedResponse, requestID: request.requestID.description)
            outcome.enqueued = true
        }
        return outcome
    }
}
