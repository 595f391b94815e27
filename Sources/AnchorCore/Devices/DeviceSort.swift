/// A column of the devices table, by which it can be sorted.
public enum DeviceColumn: Int, Hashable, Sendable, CaseIterable {
    case id, type, supplier, networkOperator, recordedCounter, lastRequest
}

/// How a list of devices is sorted: by a column, ties in device ID order whichever the
/// direction; `nil` column means the store's own order (device ID), reversed when descending.
public struct DeviceSort: Hashable, Sendable {
    public var column: DeviceColumn?
    public var ascending: Bool

    /// Creates a sort.
    public init(column: DeviceColumn? = nil, ascending: Bool = true) {
        self.column = column
        self.ascending = ascending
    }
}
