import AnchorStore
import Foundation
import Hummingbird
import NIOCore

extension OperatorRoutes {
    /// The most bytes a bulk call's body may hold: a group of ``OperatorBulk/maximumGroup``
    /// signed pre-commands, base64, with room to spare.
    static let maximumBulkBody = 24 << 20

    /// Bulk SRV6.15.1 from an operator's machine: plan, prepare a group, send it signed (``OperatorBulk``).
    func addBulk(to router: Router<OperatorRequestContext>) {
        router.post(RouterPath(OperatorAPIPath.bulkPlan)) { request, context -> Response in
            let grant = try await operatorGrant(context)
            let asked: OperatorBulk.PlanRequest = try await body(request, "a bulk plan: {\"organisation\", \"filter\", \"certificate\", \"executeAt\"?}", from: grant)
            return answer(await service.bulkPlan(asked, grant: grant), to: grant)
        }
        router.post(RouterPath(OperatorAPIPath.bulkPrepare)) { request, context -> Response in
            let grant = try await operatorGrant(context)
            let asked: OperatorBulk.PrepareRequest = try await body(
                request, "a bulk group: {\"organisation\", \"certificate\", \"executeAt\"?, \"devices\": [ID, …]}", from: grant)
            return answer(await service.bulkPrepare(asked, grant: grant), to: grant)
        }
        router.post(RouterPath(OperatorAPIPath.bulkSend)) { request, context -> Response in
            let grant = try await operatorGrant(context)
            let asked: OperatorBulk.SendRequest = try await body(
                request, "signed pre-commands: {\"organisation\", \"executeAt\"?, \"commands\": [{\"device\", \"gbcs\"}, …]}", from: grant)
            return answer(await service.bulkSend(asked, grant: grant), to: grant)
        }
    }

    /// An organisation's subscribe, cease or revoke, for an operator granted the DCC's actions.
    func addLifecycle(to router: Router<OperatorRequestContext>) {
        router.post(RouterPath(OperatorAPIPath.lifecycle)) { request, context -> Response in
            let grant = try await operatorGrant(context)
            let asked: OperatorLifecycle.Request = try await body(
                request, "a lifecycle action: {\"action\": \"subscribe\"|\"cease\"|\"revoke\", \"organisation\"}", from: grant)
            return answer(await service.lifecycle(asked, grant: grant), to: grant)
        }
    }

    /// A bulk or DCC call's answer; a refusal is one line of `serve`'s output naming the operator, as
    /// every operator's refusal is.
    func answer(_ result: Result<some Encodable, OperatorFailure>, to grant: OperatorGrants.Grant) -> Response {
        if case .failure(let failure) = result { log(failure, subject: grant.subject) }
        return Self.answer(result)
    }

    /// A request's JSON body.
    /// - Throws: 400 naming `shape` when it does not decode, logged as the operator's refusal.
    func body<Value: Decodable>(_ request: Request, _ shape: String, from grant: OperatorGrants.Grant) async throws -> Value {
        var request = request
        let body = try await request.collectBody(upTo: Self.maximumBulkBody)
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(buffer: body)) else {
            let failure = OperatorFailure.badRequest("the body is not \(shape)")
            log(failure, subject: grant.subject)
            throw OperatorHTTPRefusal(failure)
        }
        return value
    }
}
