/// A device with what the DCC's ledger says about it, as `devices` and `device show` present
/// it: read from a store, or received from a DSP's operator API, and shown the same either way.
public struct DeviceView: Codable, Hashable, Sendable {
    /// The device.
    public var device: Device
    /// The owner of each certificate in its cells, by certificate ID.
    public var cellOwners: [String: String]
    /// Its recorded Network Operator counter (FIA 4.1.2), if any.
    public var recordedCounter: OriginatorCounter?
    /// The last request for it, if any.
    public var lastRequest: RequestRecord?
    /// Its pending future-dated command, if any.
    public var scheduled: ScheduleRecord?

    /// `device` as `ledger` knows it.
    public init(_ device: Device, in ledger: Ledger) {
        self.device = device
        var owners: [String: String] = [:]
        for (_, certificate) in device.cells.all {
            if let certificate, let owner = ledger.certificate(certificate)?.owner { owners[certificate] = owner }
        }
        cellOwners = owners
        recordedCounter = ledger.recordedCounters[device.id]
        lastRequest = ledger.lastRequest(for: device.id)
        scheduled = ledger.pendingCommand(for: device.id)
    }

    /// The organisation whose certificate is in the Network Operator Digital Signing cell.
    public var networkOperatorOwner: String? {
        device.cells[.networkOperatorDS].flatMap { cellOwners[$0] }
    }
}
