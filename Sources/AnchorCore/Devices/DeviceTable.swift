/// All devices, ordered by ID, with lookup by binary search.
///
/// A sorted array needs no hash table beside it, so a million devices load with no work
/// beyond reading them, and positions stay stable unless a new device is added.
public struct DeviceTable: Sendable, Equatable {
    /// The devices in ascending ID order.
    public private(set) var devices: [Device]

    /// A table of the given devices; a later duplicate ID replaces an earlier one.
    public init(_ devices: [Device] = []) {
        if zip(devices, devices.dropFirst()).allSatisfy({ $0.id < $1.id }) {
            self.devices = devices
        } else {
            // A stable sort keeps duplicates in input order; the last of each run wins.
            let sorted = devices.enumerated().sorted { ($0.element.id, $0.offset) < ($1.element.id, $1.offset) }.map(\.element)
            self.devices = []
            self.devices.reserveCapacity(sorted.count)
            for device in sorted {
                if let last = self.devices.last, last.id == device.id {
                    self.devices[self.devices.count - 1] = device
                } else {
                    self.devices.append(device)
                }
            }
        }
    }

    /// The number of devices.
    public var count: Int { devices.count }

    /// The device with this ID, if any.
    public subscript(id: EUI64) -> Device? {
        position(of: id).map { devices[$0] }
    }

    /// Where a device with this ID sits in ``devices``, if there is one.
    public func position(of id: EUI64) -> Int? {
        let index = insertionIndex(for: id)
        return index < devices.count && devices[index].id == id ? index : nil
    }

    /// Inserts a device, or replaces the one with the same ID in place.
    public mutating func upsert(_ device: Device) {
        let index = insertionIndex(for: device.id)
        if index < devices.count && devices[index].id == device.id {
            devices[index] = device
        } else {
            devices.insert(device, at: index)
        }
    }

    private func insertionIndex(for id: EUI64) -> Int {
        var low = 0
        var high = devices.count
        while low < high {
            let middle = (low + high) / 2
            if devices[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
