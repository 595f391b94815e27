/// A smart metering device: its identity, Responsible Supplier, Trust Anchor Cells and floors.
///
/// The cells and floors are the device's own state. Only the simulator (the device) changes
/// them; the engine sees devices through ``DeviceInventoryEntry``, which has no floors.
public struct Device: Hashable, Codable, Sendable, Identifiable {
    /// The device's EUI-64.
    public var id: EUI64
    /// GPF, ESME, GSME or CHF.
    public var type: DeviceType
    /// The Responsible Supplier's organisation ID.
    public var supplier: String
    /// When the device was commissioned, if it has been.
    public var commissionedAt: Timestamp?
    /// The certificate in each Trust Anchor Cell.
    public var cells: TrustAnchorCells
    /// The anti-replay floor per remote-party role.
    public var floors: AntiReplayFloors
    /// What the device keeps for future-dated commands; `nil` for the many that never had one,
    /// so a device costs one reference, not a command's bytes and a counter, for it.
    private var scheduling: DeviceScheduling?

    /// A future-dated command the device has accepted and not yet executed.
    public var pending: PendingCommand? {
        get { scheduling?.pending }
        set { scheduling = DeviceScheduling.make(pending: newValue, lastAlertCounter: lastAlertCounter) }
    }

    /// The Originator Counter of the last alert the device sent, if it has sent one.
    public var lastAlertCounter: OriginatorCounter? {
        get { scheduling?.lastAlertCounter }
        set { scheduling = DeviceScheduling.make(pending: pending, lastAlertCounter: newValue) }
    }

    /// Creates a device.
    public init(
        id: EUI64, type: DeviceType, supplier: String, commissionedAt: Timestamp?,
        cells: TrustAnchorCells, floors: AntiReplayFloors = AntiReplayFloors(),
        pending: PendingCommand? = nil, lastAlertCounter: OriginatorCounter? = nil
    ) {
        self.id = id
        self.type = type
        self.supplier = supplier
        self.commissionedAt = commissionedAt
        self.cells = cells
        self.floors = floors
        scheduling = DeviceScheduling.make(pending: pending, lastAlertCounter: lastAlertCounter)
    }

    /// What the DSP's inventory knows of this device: everything but its floors.
    public var inventoryEntry: DeviceInventoryEntry {
        DeviceInventoryEntry(id: id, type: type, supplier: supplier, commissionedAt: commissionedAt, cells: cells)
    }
}

/// The DSP's view of a device (the Smart Metering Inventory): no anti-replay floors,
/// which only the device knows.
public struct DeviceInventoryEntry: Hashable, Sendable {
    /// The device's EUI-64.
    public var id: EUI64
    /// GPF, ESME, GSME or CHF.
    public var type: DeviceType
    /// The Responsible Supplier's organisation ID.
    public var supplier: String
    /// When the device was commissioned.
    public var commissionedAt: Timestamp?
    /// The certificates in its cells, as last reported by the device.
    public var cells: TrustAnchorCells
}
