/// The devices table's rows, for the console and for the DSP that pages an estate it holds in
/// memory: positions into the estate's device array, filtered and sorted.
///
/// Only positions are kept (4 bytes a device), and a row's cells are worked out only when it
/// is drawn, so a million-device store filters in one pass and scrolls without work.
public enum DeviceList {
    /// The positions of the devices matching a filter, in sort order.
    /// - Parameter index: the estate's ``DeviceIndex``, when there is one: filters then cost
    ///   bitset operations instead of a pass over every device.
    public static func rows(_ estate: Estate, index: DeviceIndex? = nil, filter: DeviceFilter, sort: DeviceSort) -> [Int32] {
        let devices = estate.devices
        let ledger = estate.ledger
        var rows: [Int32] = []
        if filter.terms.isEmpty {
            rows = Array(0..<Int32(devices.count))
        } else if let index, index.count == devices.count {
            rows = index.positions(matching: filter).map { Int32($0) }
        } else {
            rows.reserveCapacity(devices.count / 4)
            for index in devices.indices where filter.matches(devices[index], in: ledger) {
                rows.append(Int32(index))
            }
        }
        guard let column = sort.column else {
            return sort.ascending ? rows : rows.reversed()
        }
        // Keys come from what the inventory knows (for stored rows, their columns): no row is read.
        func sorted<Key: Comparable>(by key: (EUI64) -> Key) -> [Int32] {
            let keyed = rows.map { (key(devices.id(at: Int($0))), $0) }
            let ordered = keyed.sorted { lhs, rhs in
                lhs.0 != rhs.0 ? (sort.ascending ? lhs.0 < rhs.0 : rhs.0 < lhs.0) : lhs.1 < rhs.1
            }
            return ordered.map(\.1)
        }
        func sortedByName(_ name: (DeviceInventoryEntry) -> String) -> [Int32] {
            NameOrder.sorted(rows, ascending: sort.ascending) { name(devices.inventoryEntry(at: Int($0))) }
        }
        switch column {
        // Positions are in ID order, and ties are broken by position.
        case .id: return sort.ascending ? rows.sorted() : rows.sorted(by: >)
        case .type: return sortedByName { $0.type.rawValue }
        case .supplier: return sortedByName { $0.supplier }
        case .networkOperator:
            var holders = NetworkOperatorHolders(ledger: ledger)
            return sortedByName { holders.owner(of: $0.cells) ?? "" }
        case .recordedCounter:
            // Devices without a recorded counter sort before every counter.
            return sorted { RecordedCounterKey(ledger.recordedCounters[$0]) }
        case .lastRequest:
            return sorted { device -> String in
                guard let last = ledger.lastRequest(for: device) else { return "" }
                return last.service.rawValue + " " + last.outcome.rawValue + " " + (last.reason?.rawValue ?? "")
            }
        }
    }

    /// Who owns the certificate in a device's Network Operator DS cell.
    public static func networkOperatorOwner(_ device: Device, _ ledger: Ledger) -> String? {
        device.cells[.networkOperatorDS].flatMap { ledger.certificate($0)?.owner }
    }
}

/// Sorts devices without a recorded counter before every counter.
private struct RecordedCounterKey: Comparable {
    var counter: OriginatorCounter?

    init(_ counter: OriginatorCounter?) { self.counter = counter }

    static func < (lhs: RecordedCounterKey, rhs: RecordedCounterKey) -> Bool {
        switch (lhs.counter, rhs.counter) {
        case (nil, nil): false
        case (nil, _): true
        case (_, nil): false
        case (let left?, let right?): left < right
        }
    }
}

extension Estate {
    /// The devices matching a filter, in ID order. Over stored rows the device index answers
    /// (``DeviceIndex``) and only the matching rows are read; in memory, every device is tested.
    public func devices(matching filter: DeviceFilter) -> [Device] {
        guard devices.stored != nil, !filter.terms.isEmpty else {
            return devices.filter { filter.matches($0, in: ledger) }
        }
        return DeviceIndex(devices: devices, ledger: ledger).positions(matching: filter).map { devices[$0] }
    }

    /// The IDs of the devices matching a filter, in ID order, reading no stored row.
    public func deviceIDs(matching filter: DeviceFilter) -> [EUI64] {
        guard devices.stored != nil else { return devices(matching: filter).map(\.id) }
        if filter.terms.isEmpty { return devices.indices.map { devices.id(at: $0) } }
        return DeviceIndex(devices: devices, ledger: ledger).positions(matching: filter).map { devices.id(at: $0) }
    }
}

/// Rows ordered by a name that few devices differ in (a type, a Supplier, a Network Operator):
/// each distinct name is ranked once and the rows are dealt into one bucket per name, so ten
/// million rows are ordered without comparing strings between them. Within a name, rows keep
/// their order (ascending positions: ties broken by ID), whichever way the names run.
enum NameOrder {
    static func sorted(_ rows: [Int32], ascending: Bool, name: (Int32) -> String) -> [Int32] {
        var numberOf: [String: Int] = [:]
        var names: [String] = []
        var lastName: (name: String, number: Int)?
        let numbers = rows.map { row -> Int in
            let name = name(row)
            if let lastName, lastName.name == name { return lastName.number }
            let number = numberOf[name] ?? names.count
            if number == names.count {
                numberOf[name] = number
                names.append(name)
            }
            lastName = (name, number)
            return number
        }
        let order = names.indices.sorted { ascending ? names[$0] < names[$1] : names[$1] < names[$0] }
        var bucketOfNumber = [Int](repeating: 0, count: names.count)
        for (bucket, number) in order.enumerated() { bucketOfNumber[number] = bucket }
        var pairs = Array(zip(rows, numbers))
        if !zip(rows, rows.dropFirst()).allSatisfy({ $0 < $1 }) { pairs.sort { $0.0 < $1.0 } }
        var buckets = [[Int32]](repeating: [], count: names.count)
        for (row, number) in pairs { buckets[bucketOfNumber[number]].append(row) }
        return buckets.flatMap { $0 }
    }
}
