/// One value recorded for a device's Network Operator cell, with the request that set it.
public struct CounterHistoryEntry: Hashable, Codable, Sendable {
    /// When it was recorded.
    public var at: Timestamp
    /// The request whose response led to it.
    public var requestId: String
    /// The service of that request.
    public var service: ServiceName
    /// The value recorded.
    public var counter: OriginatorCounter

    /// Creates an entry.
    public init(at: Timestamp, requestId: String, service: ServiceName, counter: OriginatorCounter) {
        self.at = at
        self.requestId = requestId
        self.service = service
        self.counter = counter
    }
}
