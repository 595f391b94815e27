import AnchorCore
import AnchorStore
import DUIS
import Foundation
import Hummingbird
import NIOCore

/// The operator API's endpoints. Every one first finds the operator by its client certificate
/// and refuses (403) a subject the grants do not name.
struct OperatorRoutes: Sendable {
    let service: DUISService
    let grants: OperatorGrants

    func add(to router: Router<OperatorRequestContext>) {
        router.get(RouterPath(OperatorAPIPath.whoami)) { _, context -> Response in
            let grant = try await operatorGrant(context)
            return Self.reply(200, OperatorReplies.json(grant))
        }
        router.post(RouterPath(OperatorAPIPath.drafts)) { request, context -> Response in
            let grant = try await operatorGrant(context)
            var request = request
            let body = try await request.collectBody(upTo: 64 << 10)
            guard let draft = try? JSONDecoder().decode(DUISRequestDraft.self, from: Data(buffer: body)) else {
                return Self.failure(OperatorFailure.badRequest("the body is not a draft: {\"service\": \"6.15.1\"|\"6.21\", \"organisation\", \"device\", …}"))
            }
            guard grant.organisations.contains(draft.organisation) else {
                return refused(OperatorFailure.refused("may not act for \(draft.organisation)"), subject: grant.subject)
            }
            switch await service.prepare(draft) {
            case .success(let prepared):
                return Self.reply(200, OperatorReplies.json(OperatorReplies.Draft(
                    xml: String(decoding: prepared.xml, as: UTF8.self),
                    xmlSigningCertificate: Data(prepared.xmlSigningCertificate).base64EncodedString())))
            case .failure(let failure):
                return Self.failure(failure)
            }
        }
        router.get(RouterPath(OperatorAPIPath.devices)) { request, context -> Response in
            _ = try await operatorGrant(context)
            let limitText = request.uri.queryParameters.get("limit")
            let limit = limitText.map { Int($0) } ?? Int.max
            guard let limit, limit >= 0 else { return Self.failure(.badRequest("limit must be a whole number, 0 or more")) }
            return Self.answer(await service.devices(matching: request.uri.queryParameters.get("filter"), limit: limit))
        }
        router.get(RouterPath(OperatorAPIPath.devices + "/:id")) { _, context -> Response in
            _ = try await operatorGrant(context)
            guard let id = context.parameters.get("id").flatMap(EUI64.init) else { return Self.failure(.badRequest("not a device ID")) }
            return Self.answer(await service.device(id))
        }
        router.get(RouterPath(OperatorAPIPath.devices + "/:id/certificates")) { _, context -> Response in
            _ = try await operatorGrant(context)
            guard let id = context.parameters.get("id").flatMap(EUI64.init) else { return Self.failure(.badRequest("not a device ID")) }
            return Self.answer(await service.deviceCertificates(id))
        }
        router.get(RouterPath(OperatorAPIPath.devices + "/:id/history")) { _, context -> Response in
            _ = try await operatorGrant(context)
            guard let id = context.parameters.get("id").flatMap(EUI64.init) else { return Self.failure(.badRequest("not a device ID")) }
            return Self.answer(await service.history(of: id))
        }
        addConsoleReads(to: router)
        addBulk(to: router)
        addLifecycle(to: router)
        addRecovery(to: router)
        for endpoint in [DUISEndpoint.transform, .sendCommand] {
            router.post(RouterPath(OperatorAPIPath.duis(endpoint))) { request, context -> Response in
                let grant = try await operatorGrant(context)
                var request = request
                let body = try await request.collectBody(upTo: ParsedXML.maximumBytes)
                let outcome = await service.handle(endpoint, body: Array(buffer: body), caller: .operator(grant))
                guard outcome.reply.contentType == "application/xml" else {
                    let line = String(decoding: outcome.reply.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    return Self.reply(outcome.reply.status, OperatorReplies.json(OperatorReplies.Failure(
                        error: line.hasPrefix("error: ") ? String(line.dropFirst(7)) : line)))
                }
                return Self.reply(200, OperatorReplies.json(OperatorReplies.DUIS(
                    code: outcome.code, note: outcome.note, duis: String(decoding: outcome.reply.body, as: UTF8.self),
                    request: outcome.record, deviceResponse: outcome.deviceResponse.map { String(decoding: $0, as: UTF8.self) })))
            }
        }
    }

    /// The grant of the operator whose certificate the handshake verified.
    /// - Throws: 403 when the DSP does not know the certificate's subject.
    func operatorGrant(_ context: OperatorRequestContext) async throws -> OperatorGrants.Grant {
        guard let subject = try await context.clientSubject() else {
            throw OperatorHTTPRefusal(OperatorFailure.refused("no client certificate"))
        }
        guard let grant = grants.grant(forSubject: subject) else {
            _ = refused(.refused("is not an operator of this DSP"), subject: subject)
            throw OperatorHTTPRefusal(OperatorFailure.refused("the certificate '\(subject)' is not an operator of this DSP"))
        }
        return grant
    }

    /// Logs an operator's refusal (one line, as requests are logged) and answers it.
    private func refused(_ failure: OperatorFailure, subject: String) -> Response {
        log(failure, subject: subject)
        return Self.failure(.refused("operator '\(subject)' \(failure.reason)"))
    }

    /// An operator's refusal as one line of `serve`'s output, as requests are logged.
    func log(_ failure: OperatorFailure, subject: String) {
        service.log(DUISLogEntry(time: service.configuration.date(), note: "\(failure.status) \(DUISRequest.shown(failure.reason, limit: 400))",
                                 operatorSubject: subject))
    }

    /// A read's value as JSON, or its refusal.
    static func answer(_ result: Result<some Encodable, OperatorFailure>) -> Response {
        switch result {
        case .success(let value): reply(200, OperatorReplies.json(value))
        case .failure(let refusal): failure(refusal)
        }
    }

    static func failure(_ failure: OperatorFailure) -> Response {
        reply(failure.status, OperatorReplies.json(answered(failure)))
    }

    /// The most characters of a refusal's text an answer carries: a giant filter term or ID an
    /// operator sent is not sent back whole.
    static let longestReason = 1_000

    /// A refusal as the API answers it, each text at most ``longestReason`` characters.
    static func answered(_ failure: OperatorFailure) -> OperatorReplies.Failure {
        let shortened = { (text: String) in DUISRequest.shown(text, limit: longestReason) }
        guard case .invalid(let error) = failure else { return OperatorReplies.Failure(error: shortened(failure.reason)) }
        return OperatorReplies.Failure(error: shortened(error.description), code: error.code, suggestion: error.suggestion.map(shortened))
    }

    static func reply(_ status: Int, _ body: [UInt8]) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// A refusal thrown out of a handler, answered as the API's JSON.
struct OperatorHTTPRefusal: HTTPResponseError {
    let failure: OperatorFailure

    init(_ failure: OperatorFailure) {
        self.failure = failure
    }

    var status: HTTPResponse.Status { HTTPResponse.Status(code: failure.status) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        OperatorRoutes.failure(failure)
    }
}
