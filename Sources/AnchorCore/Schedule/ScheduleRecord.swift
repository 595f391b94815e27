/// One step in the life of a future-dated SRV6.15.1 as the DCC learns it: the device's
/// acknowledgement, a cancellation, or the alert that reports the execution.
public struct ScheduleRecord: Hashable, Codable, Sendable {
    /// What happened.
    public enum Event: String, Codable, Sendable, CaseIterable {
        /// The device accepted the command for later execution (`commandAccepted`, no outcome).
        case acknowledged
        /// The device dropped it on a cancellation command.
        case cancelled
        /// Alert 0x8F66: the device executed it.
        case executed
        /// Alert 0x8F67: the device tried and failed.
        case failed
        /// An alert that is not a verified answer to a pending command; nothing in it is believed.
        case unverified
    }

    /// What happened.
    public var event: Event
    /// The scheduled request's ID (for an unverified alert, the alert's key).
    public var requestId: String
    /// The device.
    public var device: EUI64
    /// The organisation that sent the scheduled command.
    public var sender: String
    /// The scheduled command's Originator Counter.
    public var counter: OriginatorCounter
    /// When the device is (or was) to execute it.
    public var dueAt: Timestamp
    /// Whether it puts the ACB's certificate in the Network Operator cells (a GNO's hand-back).
    public var handBack: Bool
    /// For an alert: its key (`device:alertCounter`).
    public var alert: String?
    /// The counter recorded for the device's Network Operator cell, if this step recorded one.
    public var recordedCounter: OriginatorCounter?
    /// A sentence explaining it.
    public var detail: String
    /// When the DCC processed it.
    public var at: Timestamp

    /// Creates a record.
    public init(
        event: Event, requestId: String, device: EUI64, sender: String, counter: OriginatorCounter, dueAt: Timestamp,
        handBack: Bool, alert: String? = nil, recordedCounter: OriginatorCounter? = nil, detail: String, at: Timestamp
    ) {
        self.event = event
        self.requestId = requestId
        self.device = device
        self.sender = sender
        self.counter = counter
        self.dueAt = dueAt
        self.handBack = handBack
        self.alert = alert
        self.recordedCounter = recordedCounter
        self.detail = detail
        self.at = at
    }

    /// Whether this step ends the command's life: executed, failed or cancelled. An unverified
    /// alert leaves a pending command pending.
    public var closes: Bool { event == .executed || event == .failed || event == .cancelled }
}
