/// All devices, ordered by ID, with lookup by binary search.
///
/// A sorted array needs no hash table beside it, so a million devices load with no work
/// beyond reading them, and positions stay stable unless a new device is added.
///
/// A table may also sit over rows kept outside memory (``StoredDeviceRows``, a store's
/// snapshot): a device is then read from its row when asked for, and a device changed since is
/// kept in memory in its place. Adding a device the rows do not hold reads every row into memory
/// (new devices come only from creating an estate, never from a request).
public struct DeviceTable: RandomAccessCollection, Sendable, Equatable {
    /// The rows outside memory, if the table sits over any.
    public private(set) var stored: (any StoredDeviceRows)?
    /// The devices changed since the stored rows were written, by position.
    private var changed: [Int: Device] = [:]
    /// The devices, in ascending ID order, when the table is held in memory.
    private var held: [Device] = []

    /// A table of the given devices; a later duplicate ID replaces an earlier one.
    public init(_ devices: [Device] = []) {
        if zip(devices, devices.dropFirst()).allSatisfy({ $0.id < $1.id }) {
            held = devices
        } else {
            // A stable sort keeps duplicates in input order; the last of each run wins.
            let sorted = devices.enumerated().sorted { ($0.element.id, $0.offset) < ($1.element.id, $1.offset) }.map(\.element)
            held.reserveCapacity(sorted.count)
            for device in sorted {
                if let last = held.last, last.id == device.id {
                    held[held.count - 1] = device
                } else {
                    held.append(device)
                }
            }
        }
    }

    /// A table over rows kept outside memory.
    public init(stored: any StoredDeviceRows) {
        self.stored = stored
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { stored?.count ?? held.count }

    /// The device at a position.
    public subscript(position: Int) -> Device {
        guard let stored else { return held[position] }
        if !changed.isEmpty, let device = changed[position] { return device }
        return stored.device(at: position)
    }

    /// The ID of the device at a position; for stored rows, without reading the row.
    public func id(at position: Int) -> EUI64 {
        guard let stored else { return held[position].id }
        return stored.id(at: position)
    }

    /// The positions of the devices changed since the stored rows were written, ascending.
    public var changedPositions: [Int] { changed.keys.sorted() }

    /// The positions of the devices with these IDs (ascending; IDs the table does not hold are
    /// left out), each found by galloping on from the last: a few steps each, not a full search.
    public func positions(ofAscending ids: [EUI64]) -> [Int] {
        var found: [Int] = []
        found.reserveCapacity(ids.count)
        var low = 0
        for id in ids {
            var step = 1
            var high = low
            while high < count && self.id(at: high) < id {
                low = high + 1
                high += step
                step *= 2
            }
            high = Swift.min(high, count)
            while low < high {
                let middle = (low + high) / 2
                if self.id(at: middle) < id { low = middle + 1 } else { high = middle }
            }
            if low < count && self.id(at: low) == id { found.append(low) }
        }
        return found
    }

    /// The device with this ID, if any.
    public subscript(id: EUI64) -> Device? {
        position(of: id).map { self[$0] }
    }

    /// Where a device with this ID sits, if there is one.
    public func position(of id: EUI64) -> Int? {
        let index = insertionIndex(for: id)
        return index < count && self.id(at: index) == id ? index : nil
    }

    /// Inserts a device, or replaces the one with the same ID in place.
    public mutating func upsert(_ device: Device) {
        let index = insertionIndex(for: device.id)
        let found = index < count && id(at: index) == device.id
        if stored != nil {
            if found {
                changed[index] = device
                return
            }
            held = Array(self)
            stored = nil
            changed = [:]
        }
        if found { held[index] = device } else { held.insert(device, at: index) }
    }

    /// What the DSP's inventory knows of the device at a position: for a stored row unchanged
    /// since, from its columns, without reading the row.
    public func inventoryEntry(at position: Int) -> DeviceInventoryEntry {
        guard let stored, changed.isEmpty || changed[position] == nil else { return self[position].inventoryEntry }
        return Self.entry(stored.id(at: position), stored.columns(at: position), suppliers: stored.suppliers, cellSets: stored.cellSets)
    }

    /// A stored row's entry, from its ID and columns and the rows' Suppliers and cell sets.
    private static func entry(
        _ id: EUI64, _ columns: StoredDeviceColumns, suppliers: [String], cellSets: [TrustAnchorCells]
    ) -> DeviceInventoryEntry {
        DeviceInventoryEntry(id: id, type: columns.type, supplier: suppliers[columns.supplier], commissionedAt: columns.commissionedAt,
                             cells: cellSets[columns.cellSet])
    }

    /// Calls `body` with what the DSP's inventory knows of each device, in ID order: for stored
    /// rows unchanged since, from their columns, without reading the rows.
    public func forEachInventoryEntry(_ body: (DeviceInventoryEntry) -> Void) {
        guard let stored else {
            for device in held { body(device.inventoryEntry) }
            return
        }
        let cellSets = stored.cellSets, suppliers = stored.suppliers
        stored.forEachColumns { position, columns in
            if !changed.isEmpty, let device = changed[position] { return body(device.inventoryEntry) }
            body(Self.entry(stored.id(at: position), columns, suppliers: suppliers, cellSets: cellSets))
        }
    }

    /// The devices holding a future-dated command or an alert's counter that `predicate` keeps,
    /// in ID order: of stored rows, only those their columns say hold one are read.
    public func scheduledDevices(where predicate: (Device) -> Bool) -> [Device] {
        guard let stored else { return held.filter { ($0.pending != nil || $0.lastAlertCounter != nil) && predicate($0) } }
        let positions = Set(stored.positionsWithScheduling).union(changed.keys).sorted()
        return positions.map { self[$0] }.filter { ($0.pending != nil || $0.lastAlertCounter != nil) && predicate($0) }
    }

    private func insertionIndex(for id: EUI64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self.id(at: middle) < id { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Whether both tables sit over the same stored rows (or both are held in memory): then
    /// comparing them costs only the devices changed since, not every row.
    public func sharesRows(with other: DeviceTable) -> Bool {
        switch (stored, other.stored) {
        case (nil, nil): true
        case (let left?, let right?): left === right || left.hasSameRows(as: right)
        default: false
        }
    }

    public static func == (lhs: DeviceTable, rhs: DeviceTable) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.stored != nil, lhs.sharesRows(with: rhs) {
            return Set(lhs.changed.keys).union(rhs.changed.keys).allSatisfy { lhs[$0] == rhs[$0] }
        }
        return lhs.elementsEqual(rhs)
    }
}
