/// The northbound rule for future-dated hand-backs (FIA 4.1.1): the DCC records the Originator
/// Counter when the device shows that the ACB's certificate is in its Network Operator cells,
/// and for a future-dated SRV6.15.1 that is the 0x8F66 alert, not the acknowledgement.
///
/// Pure: the alert's bytes were verified by the caller; this decides what the ledger learns.
public enum AlertHandler {
    /// The change one received alert makes.
    /// - Parameters:
    ///   - alert: the alert as it arrived.
    ///   - delivery: what its bytes say, once verified.
    ///   - ledger: the DCC's state (its pending commands).
    ///   - now: the time to stamp on the schedule log entry.
    public static func process(_ alert: ReceivedAlert, delivery: AlertDelivery, ledger: Ledger, now: Timestamp) -> ScheduleChange {
        let pending = ledger.pendingCommand(for: alert.device)
        func unverified(_ why: String) -> ScheduleChange {
            let still = pending.map { "; \($0.requestId) stays pending" } ?? ""
            return ScheduleChange(record: ScheduleRecord(
                event: .unverified, requestId: pending?.requestId ?? alert.key, device: alert.device, sender: pending?.sender ?? "",
                counter: pending?.counter ?? OriginatorCounter(0), dueAt: pending?.dueAt ?? alert.receivedAt,
                handBack: pending?.handBack ?? false, alert: alert.key,
                detail: "alert \(alert.key) was not trusted: \(why); nothing was recorded\(still)", at: now), recorded: nil)
        }
        let report: DeviceAlert
        switch delivery {
        case .unverified(let why): return unverified(why)
        case .verified(let verified): report = verified
        }
        guard let pending, let sender = ledger.organisation(pending.sender),
              report.outcome.originatorCounter == pending.counter, report.commandOriginator == sender.entityId
        else {
            return unverified("it does not report a command the DCC knows is pending on \(alert.device)")
        }
        var record = ScheduleRecord(
            event: report.executed ? .executed : .failed, requestId: pending.requestId, device: alert.device, sender: pending.sender,
            counter: pending.counter, dueAt: pending.dueAt, handBack: pending.handBack, alert: alert.key, detail: "", at: now)
        let when = report.executionTime.map { " at \($0)" } ?? ""
        guard report.executed else {
            let statuses = report.outcome.results.map { "\($0.targetCell.rawValue) \($0.status)" }.joined(separator: ", ")
            var why = statuses.isEmpty ? "no replacements" : statuses
            if let floor = report.outcome.floorChanges[.networkOperator], floor >= pending.counter {
                why += "; its Network Operator floor was then \(floor), not below the command's counter \(pending.counter): a later command moved it"
            }
            record.detail = "alert 0x8F67: the device could not execute \(pending.requestId)\(when) (\(why)); nothing was recorded"
            return ScheduleChange(record: record, recorded: nil)
        }
        record.detail = "alert 0x8F66: the device executed \(pending.requestId)\(when)"
        let recorded = NorthboundRecording.entry(
            holder: report.outcome.holder(of: .networkOperatorDS), reportedFloor: report.outcome.floorChanges[.networkOperator],
            counter: pending.counter, requestId: pending.requestId, at: now)
        if let recorded {
            record.recordedCounter = recorded.counter
            record.detail += NorthboundRecording.sentence(recorded)
        }
        return ScheduleChange(record: record, recorded: recorded)
    }
}
