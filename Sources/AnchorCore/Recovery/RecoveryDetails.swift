/// What a Recovery Event's log entry keeps beyond a request's fields.
public struct RecoveryDetails: Hashable, Codable, Sendable {
    /// The operator's reason for this exceptional action.
    public var reason: String
    /// The organisation whose certificate the Network Operator DS cell held before, if any.
    public var previousHolder: String?
    /// The `newRemotePartyFloorSeqNumber` the command asked for.
    public var newFloor: OriginatorCounter

    /// Creates the details.
    public init(reason: String, previousHolder: String?, newFloor: OriginatorCounter) {
        self.reason = reason
        self.previousHolder = previousHolder
        self.newFloor = newFloor
    }
}
