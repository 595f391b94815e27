import AnchorCore

/// The distinct cell sets of an estate's devices, numbered in the order they first appear, and
/// each device's number: how the snapshot writes devices, and how the PostgreSQL backend's device
/// table names them. Devices that share storage share a set, so most devices cost one lookup by
/// identity rather than a hash of their cells.
public struct CellSetNumbering: Sendable {
    /// The distinct sets, by number.
    public private(set) var sets: [TrustAnchorCells] = []
    /// How many devices hold each set, by number.
    public private(set) var counts: [Int] = []
    /// Each device's set number, in the table's order.
    public private(set) var numbers: [Int] = []

    /// Numbers a table's cell sets.
    public init(_ table: DeviceTable) {
        numbers.reserveCapacity(table.count)
        for device in table { numbers.append(number(of: device.cells)) }
        byCells = [:]
        byStorage = [:]
    }

    /// No sets yet: number them one device at a time with ``number(of:)``.
    init() {}

    private var byCells: [TrustAnchorCells: Int] = [:]
    private var byStorage: [UInt: Int] = [:]

    /// The number of the next device's cell set, numbering it if it is new, and counting the
    /// device (``counts``; ``numbers`` holds only what ``init(_:)`` numbered).
    mutating func number(of cells: TrustAnchorCells) -> Int {
        let identity = cells.storageIdentity
        let number: Int
        if let known = byStorage[identity] {
            number = known
        } else if let known = byCells[cells] {
            number = known
            byStorage[identity] = known
        } else {
            number = sets.count
            sets.append(cells)
            counts.append(0)
            byCells[cells] = number
            byStorage[identity] = number
        }
        counts[number] += 1
        return number
    }
}
