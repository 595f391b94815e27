import Hummingbird

extension OperatorRoutes {
    /// A Recovery Event for an operator granted the DCC's actions: plan, then a group at a time (``OperatorRecovery``).
    func addRecovery(to router: Router<OperatorRequestContext>) {
        router.post(RouterPath(OperatorAPIPath.recoveryPlan)) { request, context -> Response in
            let grant = try await operatorGrant(context)
            let asked: OperatorRecovery.PlanRequest = try await body(
                request, "a Recovery Event's plan: {\"filter\", \"replaceWith\", \"newFloor\", \"allowCounterJump\"}", from: grant)
            return answer(await service.recoveryPlan(asked, grant: grant), to: grant)
        }
        router.post(RouterPath(OperatorAPIPath.recoverySend)) { request, context -> Response in
            let grant = try await operatorGrant(context)
            let asked: OperatorRecovery.SendRequest = try await body(
                request, "a Recovery Event's group: {\"plan\": {…}, \"reason\", \"devices\": [ID, …]}", from: grant)
            return answer(await service.recoverySend(asked, grant: grant), to: grant)
        }
    }
}
