/// What the DCC's ledger holds of one device's past, as `counters ID` and `requests --device ID`
/// present it: read from a store, or received from a DSP's operator API.
public struct DeviceLog: Codable, Hashable, Sendable {
    /// The device.
    public var device: EUI64
    /// Its recorded Network Operator counter, if any.
    public var recordedCounter: OriginatorCounter?
    /// Every counter recorded for it, oldest first.
    public var counterHistory: [CounterHistoryEntry]
    /// Every request for it, oldest first.
    public var requests: [RequestRecord]

    /// `device`'s history as `ledger` holds it.
    public init(_ device: EUI64, in ledger: Ledger) {
        self.device = device
        recordedCounter = ledger.recordedCounters[device]
        counterHistory = ledger.counterHistory[device] ?? []
        requests = ledger.requests(for: device)
    }
}
