/// Data Management's table for SECMP0128A: the highest counter recorded per device's Network
/// Operator cell.
///
/// Held as two columns in ascending device order, as a store writes and reads them (so opening
/// a store hashes nothing), and the counters recorded since, by device. Iterates in ascending
/// device order.
public struct RecordedCounters: Sequence, Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The devices of the columns, ascending, each once.
    private var devices: [EUI64]
    private var counters: [OriginatorCounter]
    /// Counters recorded since the columns were made, for devices in them or not.
    private var changed: [EUI64: OriginatorCounter] = [:]
    /// How many of `changed` are not in the columns.
    private var added = 0

    /// The table holding `counters`.
    public init(_ counters: [EUI64: OriginatorCounter] = [:]) {
        let ascending = counters.sorted { $0.key < $1.key }
        devices = ascending.map(\.key)
        self.counters = ascending.map(\.value)
    }

    /// The table holding these counters.
    public init(dictionaryLiteral elements: (EUI64, OriginatorCounter)...) {
        self.init(Dictionary(elements) { _, last in last })
    }

    /// The table of two columns: `devices` ascending, each once, and their counters; `nil`
    /// when the devices are out of order or repeated, or the columns differ in length.
    public init?(ascending devices: [EUI64], counters: [OriginatorCounter]) {
        guard devices.count == counters.count, zip(devices, devices.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        self.devices = devices
        self.counters = counters
    }

    /// How many devices have a recorded counter.
    public var count: Int { devices.count + added }

    /// Whether no device has a recorded counter.
    public var isEmpty: Bool { count == 0 }

    /// The counter recorded for a device, if any.
    public subscript(device: EUI64) -> OriginatorCounter? {
        if let counter = changed[device] { return counter }
        return position(of: device).map { counters[$0] }
    }

    /// Records `counter` as the device's (the caller keeps the highest).
    public mutating func record(_ counter: OriginatorCounter, for device: EUI64) {
        if changed.updateValue(counter, forKey: device) == nil, position(of: device) == nil { added += 1 }
    }

    /// The devices with a recorded counter, ascending.
    public var ascendingDevices: [EUI64] { map(\.device) }

    /// Each device's counter, in ascending device order.
    public func makeIterator() -> Iterator {
        Iterator(table: self, changed: changed.sorted { $0.key < $1.key })
    }

    /// Walks the columns and the counters recorded since together, in ascending device order.
    public struct Iterator: IteratorProtocol {
        fileprivate let table: RecordedCounters
        /// The counters recorded since, in ascending device order.
        fileprivate let changed: [(key: EUI64, value: OriginatorCounter)]
        private var columnPosition = 0
        private var changedPosition = 0

        fileprivate init(table: RecordedCounters, changed: [(key: EUI64, value: OriginatorCounter)]) {
            self.table = table
            self.changed = changed
        }

        public mutating func next() -> (device: EUI64, counter: OriginatorCounter)? {
            if columnPosition < table.devices.count {
                let device = table.devices[columnPosition]
                guard changedPosition < changed.count, changed[changedPosition].key <= device else {
                    columnPosition += 1
                    return (device, table.counters[columnPosition - 1])
                }
                // A counter recorded since takes the column's place.
                if changed[changedPosition].key == device { columnPosition += 1 }
            }
            guard changedPosition < changed.count else { return nil }
            changedPosition += 1
            return (changed[changedPosition - 1].key, changed[changedPosition - 1].value)
        }
    }

    public static func == (lhs: RecordedCounters, rhs: RecordedCounters) -> Bool {
        lhs.count == rhs.count && lhs.elementsEqual(rhs) { $0.device == $1.device && $0.counter == $1.counter }
    }

    private func position(of device: EUI64) -> Int? {
        var low = 0
        var high = devices.count
        while low < high {
            let middle = (low + high) / 2
            if devices[middle] < device { low = middle + 1 } else { high = middle }
        }
        return low < devices.count && devices[low] == device ? low : nil
    }
}
