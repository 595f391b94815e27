import AnchorCore
import DUISServer
import OperatorClient

/// `recovery --store https://…`: a Recovery Event for an operator granted the DCC's actions. The
/// DSP plans it and signs each command with the SMKI Recovery key it holds; this machine asks
/// for confirmation as at the DSP, then sends the plan's devices a group at a time.
struct RemoteRecovery {
    let connection: OperatorConnection
    let plan: OperatorRecovery.PlanRequest
    let reason: String

    /// The devices still to do, as the DSP plans them.
    func planned() throws(CLIFailure) -> OperatorRecovery.Plan {
        try OperatorCall.json(connection.post(OperatorAPIPath.recoveryPlan, body: OperatorCall.encoded(plan), contentType: "application/json"),
                              from: connection)
    }

    /// Sends `planned`'s devices, `groupSize` a group.
    func run(_ planned: OperatorRecovery.Plan, groupSize: Int, json: Bool) throws {
        try RemoteGroupRun(pending: planned.pending, skipped: planned.skipped, groupSize: groupSize, json: json).run { devices, _, durable throws(CLIFailure) in
            let sent: OperatorBulk.Sent = try OperatorCall.json(connection.post(
                OperatorAPIPath.recoverySend, body: OperatorCall.encoded(OperatorRecovery.SendRequest(plan: plan, reason: reason, devices: devices)),
                contentType: "application/json"), from: connection)
            durable(sent.requests)
            return sent.refused.count
        }
    }
}
