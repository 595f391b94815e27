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
            let asked: OperatorBulk.PlanRequest = try await Self.body(request, "a bulk plan: {\"organisation\", \"filter\", \"certificate\", \"executeAt\"?}")
            return Self.answer(await service.bulkPlan(asked, grant: grant))
        }
        router.post(RouterPath(OperatorAPIPath.bulkPrepare)) { request, context -> Response in
            let grant = try await operatorGrant(context)
            let asked: OperatorBulk.PrepareRequest = try await Self.body(
                request, "a bulk group: {\"organisation\", \"certificate\", \"executeAt\"?, \"devices\": [ID, …]}")
            return Self.answer(await service.bulkPrepare(asked, grant: grant))
        }
        router.post(RouterPath(OperatorAPIPath.bulkSend)) { request, context -> Response in
            let grant = try await operatorGrant(context)
            let asked: OperatorBulk.SendRequest = try await Self.body(
                request, "signed pre-commands: {\"organisation\", \"executeAt\"?, \"commands\": [{\"device\", \"gbcs\"}, …]}")
            return Self.answer(await service.bulkSend(asked, grant: grant))
        }
    }

    /// An organisation's subscribe, cease or revoke, for an operator granted the DCC's actions.
    func addLifecycle(to router: Router<OperatorRequestContext>) {
        router.post(RouterPath(OperatorAPIPath.lifecycle)) { request, context -> Response in
            let grant = try await operatorGrant(context)
            let asked: OperatorLifecycle.Request = try await Self.body(
                request, "a lifecycle action: {\"action\": \"subscribe\"|\"cease\"|\"revoke\", \"organisation\"}")
            return Self.answer(await service.lifecycle(asked, grant: grant))
        }
    }

    /// A request's JSON body.
    /// - Throws: 400 naming `shape` when it does not decode.
    static func body<Value: Decodable>(_ request: Request, _ shape: String) async throws -> Value {
        var request = request
        let body = try await request.collectBody(upTo: maximumBulkBody)
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(buffer: body)) else {
            throw OperatorHTTPRefusal(.badRequest("the body is not \(shape)"))
        }
        return value
    }
}
