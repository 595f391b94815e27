/// The whole simulated world a store holds: the DCC's ledger and the devices' own state.
public struct Estate: Sendable, Equatable {
    /// The DCC's side.
    public var ledger: Ledger
    /// The devices, as the devices themselves hold them.
    public var devices: DeviceTable

    /// Creates an estate.
    public init(ledger: Ledger, devices: DeviceTable) {
        self.ledger = ledger
        self.devices = devices
    }

    /// Applies a committed change: the log, counters and the device's new state.
    public mutating func apply(_ change: EstateChange) {
        ledger.apply(change.ledger)
        if let device = change.device { devices.upsert(device) }
    }

    /// Applies an alert's arrival: the device's new state, and the alert waiting to be processed.
    public mutating func apply(_ arrival: AlertArrival) {
        devices.upsert(arrival.device)
        ledger.receive(arrival.alert)
    }

    /// Applies a processed alert.
    public mutating func apply(_ change: ScheduleChange) {
        ledger.apply(change)
    }
}

/// One committed request with all its effects: a journal record's content.
public struct EstateChange: Hashable, Sendable {
    /// The ledger's part: request log entry, counters, recorded counter.
    public var ledger: LedgerChange
    /// The target device's state afterwards, if the command reached it.
    public var device: Device?

    /// Creates a change.
    public init(ledger: LedgerChange, device: Device?) {
        self.ledger = ledger
        self.device = device
    }
}
