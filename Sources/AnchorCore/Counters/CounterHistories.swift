/// Counter histories a store keeps outside the heap, one per device in ascending ID order,
/// each read when asked for.
///
/// Histories are never changed once written, so an implementation may be read from any thread.
public protocol StoredCounterHistories: AnyObject, Sendable {
    /// How many devices have a history.
    var count: Int { get }
    /// The device at `position` (`0..<count`), without reading its history; devices ascend.
    func device(at position: Int) -> EUI64
    /// The position of `device`'s history, if it has one.
    func position(of device: EUI64) -> Int?
    /// The history at `position`, oldest first, read when asked for.
    func entries(at position: Int) -> [CounterHistoryEntry]
    /// Whether `other` holds the same histories, byte for byte, without reading them.
    func hasSameHistories(as other: any StoredCounterHistories) -> Bool
}

/// Every value recorded per device, oldest first: the histories a store keeps on disk
/// (``StoredCounterHistories``), read when asked for, and those changed since, held in memory
/// whole. Iterates in ascending device order.
public struct CounterHistories: Sequence, Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The histories kept outside memory, if any.
    public private(set) var stored: (any StoredCounterHistories)?
    /// Whole histories (the stored part and what came since) of devices changed since `stored`.
    private var changed: [EUI64: [CounterHistoryEntry]]
    /// How many of `changed` have no stored history.
    private var added: Int

    /// Histories held wholly in memory.
    public init(_ histories: [EUI64: [CounterHistoryEntry]] = [:]) {
        stored = nil
        changed = histories
        added = histories.count
    }

    /// Histories held wholly in memory.
    public init(dictionaryLiteral elements: (EUI64, [CounterHistoryEntry])...) {
        self.init(Dictionary(elements) { _, last in last })
    }

    /// The histories kept in `stored`, none changed yet.
    public init(stored: any StoredCounterHistories) {
        self.stored = stored
        changed = [:]
        added = 0
    }

    /// How many devices have a history.
    public var count: Int { (stored?.count ?? 0) + added }

    /// Whether no device has a history.
    public var isEmpty: Bool { count == 0 }

    /// A device's history, oldest first, or `nil` if nothing was ever recorded for it.
    public subscript(device: EUI64) -> [CounterHistoryEntry]? {
        if let entries = changed[device] { return entries }
        guard let stored, let position = stored.position(of: device) else { return nil }
        return stored.entries(at: position)
    }

    /// Adds a value recorded for a device, after those recorded before.
    public mutating func append(_ entry: CounterHistoryEntry, for device: EUI64) {
        if changed[device] == nil {
            let position = stored?.position(of: device)
            changed[device] = position.flatMap { stored?.entries(at: $0) } ?? []
            if position == nil { added += 1 }
        }
        changed[device]?.append(entry)
    }

    /// Each device's history, in ascending device order.
    public func makeIterator() -> Iterator {
        Iterator(histories: self, changed: changed.sorted { $0.key < $1.key })
    }

    /// Walks the stored histories and the changed ones together, in ascending device order.
    public struct Iterator: IteratorProtocol {
        fileprivate let histories: CounterHistories
        /// The histories changed since, in ascending device order.
        fileprivate let changed: [(key: EUI64, value: [CounterHistoryEntry])]
        private var storedPosition = 0
        private var changedPosition = 0

        fileprivate init(histories: CounterHistories, changed: [(key: EUI64, value: [CounterHistoryEntry])]) {
            self.histories = histories
            self.changed = changed
        }

        public mutating func next() -> (device: EUI64, entries: [CounterHistoryEntry])? {
            if let stored = histories.stored, storedPosition < stored.count {
                let device = stored.device(at: storedPosition)
                guard changedPosition < changed.count, changed[changedPosition].key <= device else {
                    storedPosition += 1
                    return (device, stored.entries(at: storedPosition - 1))
                }
                // A changed history holds the stored one, so it takes its place.
                if changed[changedPosition].key == device { storedPosition += 1 }
            }
            guard changedPosition < changed.count else { return nil }
            changedPosition += 1
            return (changed[changedPosition - 1].key, changed[changedPosition - 1].value)
        }
    }

    public static func == (lhs: CounterHistories, rhs: CounterHistories) -> Bool {
        if let left = lhs.stored, let right = rhs.stored, left.hasSameHistories(as: right) {
            return lhs.changed == rhs.changed
        }
        return lhs.count == rhs.count && lhs.elementsEqual(rhs) { $0.device == $1.device && $0.entries == $1.entries }
    }
}
