/// Everything one processed request changes in the ``Ledger``: one journal record's worth.
public struct LedgerChange: Hashable, Sendable {
    /// The request log entry.
    public var request: RequestRecord
    /// Organisations' new last-used counters (the sender's, and the ACB's sequence for 6.21).
    public var organisationCounters: [String: OriginatorCounter]
    /// A value recorded for the device's Network Operator cell, if the response showed the ACB there.
    public var recorded: CounterHistoryEntry?
    /// For a future-dated SRV6.15.1: the device's acknowledgement, or the cancellation it accepted.
    public var schedule: ScheduleRecord?

    /// Creates a change.
    public init(
        request: RequestRecord, organisationCounters: [String: OriginatorCounter], recorded: CounterHistoryEntry?,
        schedule: ScheduleRecord? = nil
    ) {
        self.request = request
        self.organisationCounters = organisationCounters
        self.recorded = recorded
        self.schedule = schedule
    }
}
