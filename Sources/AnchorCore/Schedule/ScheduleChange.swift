/// What processing one device alert changes in the ``Ledger``: one journal record's worth.
public struct ScheduleChange: Hashable, Sendable {
    /// The schedule log entry.
    public var record: ScheduleRecord
    /// The value recorded for the device's Network Operator cell, if the alert showed the ACB there.
    public var recorded: CounterHistoryEntry?

    /// Creates a change.
    public init(record: ScheduleRecord, recorded: CounterHistoryEntry?) {
        self.record = record
        self.recorded = recorded
    }
}

/// A device alert arriving: the device's state after it acted, and the alert as it arrived.
public struct AlertArrival: Hashable, Sendable {
    /// The alert.
    public var alert: ReceivedAlert
    /// The device's own state once it has executed (or failed) the pending command.
    public var device: Device

    /// Creates an arrival.
    public init(alert: ReceivedAlert, device: Device) {
        self.alert = alert
        self.device = device
    }
}
