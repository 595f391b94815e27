import AnchorCore
import AnchorService
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
            try send(devices, durable: durable).count
        }
    }

    /// Sends one group: `durable` hears of its requests, made durable together at the DSP; returns
    /// the devices the DSP refused before sending.
    func send(_ devices: [EUI64], durable: ([RequestRecord]) -> Void) throws(CLIFailure) -> [OperatorBulk.Refusal] {
        let sent: OperatorBulk.Sent = try OperatorCall.json(connection.post(
            OperatorAPIPath.recoverySend, body: OperatorCall.encoded(OperatorRecovery.SendRequest(plan: plan, reason: reason, devices: devices)),
            contentType: "application/json"), from: connection)
        durable(sent.requests)
        return sent.refused
    }
}

extension RemoteRecovery {
    /// The Recovery Event a console's draft asks for (never a floor far past the ACB's counter:
    /// the console does not send one).
    init(connection: OperatorConnection, draft: RecoveryDraft) {
        self.init(connection: connection,
                  plan: OperatorRecovery.PlanRequest(filter: draft.filter, replaceWith: draft.replacement, newFloor: draft.newFloor, allowCounterJump: false),
                  reason: draft.reason)
    }
}
