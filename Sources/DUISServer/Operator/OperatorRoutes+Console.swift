import AnchorCore
import Foundation
import Hummingbird
import NIOCore

extension OperatorRoutes {
    /// How long a change poll waits for a commit before answering with the token unchanged.
    static let changeWait = Duration.seconds(20)

    /// What a remote console reads: pages of devices, the organisations' holdings, both reports,
    /// the audit trail (checked, or exported), the request log and the store's changes as they happen.
    func addConsoleReads(to router: Router<OperatorRequestContext>) {
        router.get(RouterPath(OperatorAPIPath.pages)) { request, context -> Response in
            _ = try await operatorGrant(context)
            let query: OperatorPageQuery
            do throws(RequestError) {
                query = try OperatorPageQuery(parameters: { request.uri.queryParameters.get($0) })
            } catch {
                return Self.failure(.invalid(error))
            }
            switch await service.page(query) {
            case .success(let bytes): return Self.reply(200, bytes)
            case .failure(let refusal): return Self.failure(refusal)
            }
        }
        router.get(RouterPath(OperatorAPIPath.organisations)) { _, context -> Response in
            _ = try await operatorGrant(context)
            return Self.answer(await service.organisations())
        }
        router.get(RouterPath(OperatorAPIPath.holdings)) { _, context -> Response in
            _ = try await operatorGrant(context)
            return Self.answer(await service.holdings())
        }
        router.get(RouterPath(OperatorAPIPath.counterRisk)) { request, context -> Response in
            _ = try await operatorGrant(context)
            let filter: CounterRiskReport.Filter
            do throws(OperatorFailure) {
                filter = try OperatorReportQuery.counterRiskFilter { request.uri.queryParameters.get($0) }
            } catch {
                return Self.failure(error)
            }
            return Self.answer(await service.counterRiskRows(filter))
        }
        router.get(RouterPath(OperatorAPIPath.postCommissioning)) { request, context -> Response in
            _ = try await operatorGrant(context)
            guard let asOf = request.uri.queryParameters.get("asOf").flatMap({ Timestamp(iso8601: String($0)) }) else {
                return Self.failure(.badRequest("asOf must be a time, YYYY-MM-DDTHH:MM:SSZ"))
            }
            let filter: PostCommissioningReport.Filter
            do throws(OperatorFailure) {
                filter = try OperatorReportQuery.postCommissioningFilter { request.uri.queryParameters.get($0) }
            } catch {
                return Self.failure(error)
            }
            return Self.answer(await service.postCommissioningRows(asOf: asOf, filter))
        }
        router.get(RouterPath(OperatorAPIPath.audit)) { _, context -> Response in
            _ = try await operatorGrant(context)
            return Self.answer(await service.auditCheck())
        }
        router.get(RouterPath(OperatorAPIPath.auditExport)) { _, context -> Response in
            _ = try await operatorGrant(context)
            let handoff = ChunkHandoff()
            if case .failure(let refusal) = await service.startAuditExport(into: handoff) { return Self.failure(refusal) }
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: ResponseBody { writer in
                // However the writing ends, the export stops waiting for it.
                defer { handoff.abandon() }
                for await chunk in handoff.chunks {
                    try await writer.write(ByteBuffer(bytes: chunk))
                    handoff.took()
                }
                // Cut short (the caller stopped reading): the connection closes without the body's
                // end, so the caller cannot take what it has for the whole trail.
                guard handoff.isWhole else { throw OperatorFailure.unavailable("the audit export was cut short") }
                try await writer.finish(nil)
            })
        }
        router.get(RouterPath(OperatorAPIPath.schedule)) { _, context -> Response in
            _ = try await operatorGrant(context)
            return Self.answer(await service.scheduleLog())
        }
        router.get(RouterPath(OperatorAPIPath.requests)) { _, context -> Response in
            _ = try await operatorGrant(context)
            return Self.answer(await service.requestLog().map(OperatorReplies.Requests.init(requests:)))
        }
        router.get(RouterPath(OperatorAPIPath.changes)) { request, context -> Response in
            _ = try await operatorGrant(context)
            let known = request.uri.queryParameters.get("after")
            return Self.reply(200, OperatorReplies.json(OperatorReplies.Change(token: await service.changeToken(after: known, waitingUpTo: Self.changeWait))))
        }
    }
}
