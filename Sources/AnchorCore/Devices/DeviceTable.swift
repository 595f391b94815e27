/// All devices, in a stable order, with lookup by ID.
public struct DeviceTable: Sendable, Equatable {
    /// The devices in their stable order (the order they were loaded in).
    public private(set) var devices: [Device]
    private var positionByID: [EUI64: Int]

    /// A table of the given devices; a later duplicate ID replaces an earlier one's position.
    public init(_ devices: [Device] = []) {
        self.devices = []
        self.devices.reserveCapacity(devices.count)
        positionByID = Dictionary(minimumCapacity: devices.count)
        for device in devices { upsert(device) }
    }

    /// The number of devices.
    public var count: Int { devices.count }

    /// The device with this ID, if any.
    public subscript(id: EUI64) -> Device? {
        guard let position = positionByID[id] else { return nil }
        return devices[position]
    }

    /// Inserts a device, or replaces the one with the same ID in place.
    public mutating func upsert(_ device: Device) {
        if let position = positionByID[device.id] {
            devices[position] = device
        } else {
            positionByID[device.id] = devices.count
            devices.append(device)
        }
    }

    public static func == (lhs: DeviceTable, rhs: DeviceTable) -> Bool { lhs.devices == rhs.devices }
}
