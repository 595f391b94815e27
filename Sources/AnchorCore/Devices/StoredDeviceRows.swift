/// Device rows kept outside memory and read when asked for: a store's snapshot holds ten
/// million devices on disk, with the columns that filters need beside them, rather than in the
/// heap.
///
/// Rows are never changed once written, so an implementation may be read from any thread.
public protocol StoredDeviceRows: AnyObject, Sendable {
    /// How many rows there are.
    var count: Int { get }
    /// The ID of the row at `position` (`0..<count`), without reading the row; IDs ascend.
    func id(at position: Int) -> EUI64
    /// The device at `position`, read from its row.
    func device(at position: Int) -> Device
    /// The distinct cell sets the rows name (``cellSet(at:)``).
    var cellSets: [TrustAnchorCells] { get }
    /// The distinct Suppliers the rows name (``StoredDeviceColumns/supplier``).
    var suppliers: [String] { get }
    /// The row's columns, without reading the row.
    func columns(at position: Int) -> StoredDeviceColumns
    /// Calls `body` with each row's position and columns, in order, without reading the rows.
    func forEachColumns(_ body: (_ position: Int, _ columns: StoredDeviceColumns) -> Void)
    /// The positions of the rows that hold a future-dated command or an alert's counter, ascending.
    var positionsWithScheduling: [Int] { get }
    /// Whether `other` holds the same rows, byte for byte, without reading them one by one.
    func hasSameRows(as other: any StoredDeviceRows) -> Bool
}

/// What filters and reports ask of a stored row, kept beside it: its cell set's and Supplier's
/// numbers (in ``StoredDeviceRows/cellSets`` and ``StoredDeviceRows/suppliers``), its type and
/// its commissioning. With the row's ID, that is all the DSP's inventory knows of the device.
public struct StoredDeviceColumns: Sendable, Equatable {
    public var cellSet: Int
    public var supplier: Int
    public var type: DeviceType
    public var commissionedAt: Timestamp?

    /// Columns.
    public init(cellSet: Int, supplier: Int, type: DeviceType, commissionedAt: Timestamp?) {
        self.cellSet = cellSet
        self.supplier = supplier
        self.type = type
        self.commissionedAt = commissionedAt
    }
}
