import AnchorCore
import GBCS
import SMKI

/// What a GPF does when the future-dated command it holds falls due by its clock: it checks the
/// command again as of that moment (the authorising cell, the signature, and the counter against
/// the floor then, which an intervening command may have moved), executes it if it passes, and
/// sends a future-dated alert (message code 0x00CB): 0x8F66 when every replacement succeeded,
/// 0x8F67 otherwise (GBCS-WIRE.md §4; DCC's reference alerts).
///
/// The alert has the shape of the reference alerts: CRA alert, the device's own alert counter,
/// from the device to the command's originator, no date-time in the header, and the execution
/// date-time with the `ExecutionOutcome` in the payload.
enum ScheduledExecution {
    /// The alert to send for `device`'s pending command if it is due at `now` (unsigned), with
    /// the device's new state; `nil` when nothing is due.
    static func alert(on device: inout Device, now: Timestamp, directory: CertificateDirectory) -> GeneralSigningBlock? {
        guard let pending = device.pending, pending.isDue(at: now) else { return nil }
        device.pending = nil
        // It was readable when accepted (the device keeps only what it accepted).
        guard let message = try? GBCSMessage.decode(pending.command, recordingFields: false),
              let (payload, mode) = CS02bExecution.readable(message)
        else { return nil }
        let alertCounter = OriginatorCounter((device.lastAlertCounter?.value ?? 0) &+ 1)
        device.lastAlertCounter = alertCounter
        let outcome: CS02bResponsePayload
        if CS02bExecution.refusal(of: message, payload, mode: mode, on: device, directory: directory) != nil {
            outcome = refused(payload, mode: mode, on: device, directory: directory)
        } else {
            outcome = CS02bExecution.execute(payload, mode: mode, counter: message.block.originatorCounter, on: &device, directory: directory)
        }
        let executed = outcome.outcomes.allSatisfy { $0.status == UInt64(CredentialsUpdateStatus.success.rawValue) }
        let content = CS02bAlertPayload(
            alertCode: executed ? CS02bAlertPayload.executedCode : CS02bAlertPayload.failedCode,
            executionDateTime: pending.dueAt.generalizedTime, outcome: outcome)
        return GeneralSigningBlock(
            cra: .alert, originatorCounter: alertCounter, originator: device.id, recipient: message.block.originator,
            dateTime: nil, messageCode: MessageCode.updateSecurityCredentialsAlert, content: content.encoded, signature: .absent)
    }

    /// *(model)* The outcome of a command refused when it fell due: nothing replaced, each
    /// replacement with status `other` and the cell's current holder, and the role's floor as it is.
    private static func refused(
        _ payload: CS02bCommandPayload, mode: ReplacementMode, on device: Device, directory: CertificateDirectory
    ) -> CS02bResponsePayload {
        let outcomes = payload.replacements.map { replacement in
            CS02bExecution.outcome(
                replacement, status: .other,
                existing: replacement.target.cell.flatMap { device.cells[$0] }.flatMap { directory[$0] },
                replacing: directory.id(ofDER: replacement.certificate).flatMap { directory[$0] })
        }
        let role = mode.authorisingRole
        return CS02bResponsePayload(
            authorisingSequenceNumber: payload.authorisingSequenceNumber, mode: payload.mode,
            floorChanges: CS02bExecution.seqNumberChanges([role: device.floors[role]]), outcomes: outcomes)
    }
}
