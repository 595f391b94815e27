import AnchorCore
import Synchronization

/// A snapshot's device rows, left in the mapped file and read through ``SnapshotDeviceIndex``
/// when asked for: how a store of ten million devices opens without reading them.
///
/// The snapshot's body has passed its CRC-32C and the index names that body, so every row reads;
/// one that does not (an index forged to pass its own checksum and shape checks) stops the
/// process with the row's offset rather than hand back another device.
final class SnapshotDeviceRows: StoredDeviceRows, @unchecked Sendable {
    private let mapping: FileMapping
    /// The body, inside the mapping.
    private let body: UnsafeBufferPointer<UInt8>
    private let index: SnapshotDeviceIndex
    private let path: String
    let cellSets: [TrustAnchorCells]
    var suppliers: [String] { index.suppliers }

    /// Rows of the body at `body` in `mapping`, described by `index`.
    init(mapping: FileMapping, body: Range<Int>, index: SnapshotDeviceIndex, cellSets: [TrustAnchorCells], path: String) {
        self.mapping = mapping
        self.body = UnsafeBufferPointer(rebasing: mapping.bytes[body])
        self.index = index
        self.cellSets = cellSets
        self.path = path
    }

    var count: Int { index.count }

    func id(at position: Int) -> EUI64 { EUI64(rawValue: index.id(at: position)) }

    func device(at position: Int) -> Device {
        var reader = JSONReader(body, startingAt: index.start(at: position))
        let device: Device
        do throws(JSONReadError) {
            device = try DeviceRecordCoding.readCompact(&reader, cellSets: cellSets)
        } catch {
            fatalError("\(path): device row at body byte \(error.offset) does not read (\(error.message)); \(SnapshotDeviceIndex.fileName) is damaged: remove it, and the next writer makes it again")
        }
        guard device.id == id(at: position) else {
            fatalError("\(path): the device row at body byte \(index.start(at: position)) is not \(id(at: position)); \(SnapshotDeviceIndex.fileName) is damaged: remove it, and the next writer makes it again")
        }
        return device
    }

    func columns(at position: Int) -> StoredDeviceColumns {
        let word = index.columnsWord(at: position)
        return StoredDeviceColumns(cellSet: Int(word & 0xFFFF_FFFF), supplier: Int(word >> 32 & 0xFFFF), type: Self.types[Int(word >> 48 & 0xFF)],
                                   commissionedAt: index.commissionedAt(position))
    }

    private static let types = DeviceType.allCases

    func forEachColumns(_ body: (_ position: Int, _ columns: StoredDeviceColumns) -> Void) {
        for position in 0..<count { body(position, columns(at: position)) }
    }

    func hasSameRows(as other: any StoredDeviceRows) -> Bool {
        if other === self { return true }
        guard let other = other as? SnapshotDeviceRows else { return false }
        return other.index.bodyLength == index.bodyLength && other.index.bodyChecksum == index.bodyChecksum
            && other.index.count == index.count && other.index.array == index.array
    }

    var positionsWithScheduling: [Int] {
        scheduled.withLock { found in
            if let found { return found }
            let positions = (0..<count).filter { index.columnsWord(at: $0) >> 56 & 1 == 1 }
            found = positions
            return positions
        }
    }

    /// The rows holding a future-dated command, once looked for.
    private let scheduled = Mutex<[Int]?>(nil)
}
