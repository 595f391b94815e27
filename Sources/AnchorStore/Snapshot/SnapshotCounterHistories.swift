import AnchorCore
import Synchronization

/// A snapshot body's counter histories, left in the mapped file: how a store opens after a bulk
/// run of a hundred thousand hand-backs without reading them.
///
/// Opening only passes over the `counterHistory` object (``JSONReader/passOverContainer()``).
/// Where each device's history starts is found the first time one is asked for (``locate(in:object:)``),
/// and a history is read when it is asked for. The body has passed its CRC-32C, so every history
/// reads; one that does not (a body forged to pass its own checksum) stops the process with the
/// offset rather than hand back another. `store check` reads them this way and whole, and compares.
final class SnapshotCounterHistories: StoredCounterHistories, @unchecked Sendable {
    /// Where each device's history starts in the body, devices ascending.
    struct Rows {
        var devices: [UInt64] = []
        /// The offset of each history's `[` in the body.
        var starts: [Int] = []
    }

    private let mapping: FileMapping
    /// The body, inside the mapping.
    private let body: UnsafeBufferPointer<UInt8>
    /// The `counterHistory` object, `{` to `}`, in the body.
    private let object: Range<Int>
    /// The body's CRC-32C, which names these histories.
    private let bodyChecksum: String
    private let path: String
    private let found = Mutex<Rows?>(nil)

    /// The histories in `object` of the body at `body` in `mapping`.
    init(mapping: FileMapping, body: Range<Int>, object: Range<Int>, bodyChecksum: String, path: String) {
        self.mapping = mapping
        self.body = UnsafeBufferPointer(rebasing: mapping.bytes[body])
        self.object = object
        self.bodyChecksum = bodyChecksum
        self.path = path
    }

    var count: Int { rows.devices.count }

    func device(at position: Int) -> EUI64 { EUI64(rawValue: rows.devices[position]) }

    func position(of device: EUI64) -> Int? {
        let devices = rows.devices
        var low = 0
        var high = devices.count
        while low < high {
            let middle = (low + high) / 2
            if devices[middle] < device.rawValue { low = middle + 1 } else { high = middle }
        }
        return low < devices.count && devices[low] == device.rawValue ? low : nil
    }

    func entries(at position: Int) -> [CounterHistoryEntry] {
        do throws(JSONReadError) {
            return try Self.entries(in: body, at: rows.starts[position])
        } catch {
            stop(error)
        }
    }

    /// The history whose `[` is at `start` in `body`.
    static func entries(in body: UnsafeBufferPointer<UInt8>, at start: Int) throws(JSONReadError) -> [CounterHistoryEntry] {
        var reader = JSONReader(body, startingAt: start)
        var entries: [CounterHistoryEntry] = []
        try reader.beginArray()
        while try reader.nextElement() { entries.append(try LedgerRecordCoding.readHistoryEntry(&reader)) }
        return entries
    }

    func hasSameHistories(as other: any StoredCounterHistories) -> Bool {
        if other === self { return true }
        guard let other = other as? SnapshotCounterHistories else { return false }
        return other.body.count == body.count && other.bodyChecksum == bodyChecksum && other.object == object
    }

    /// Where each history starts, found on first use.
    private var rows: Rows {
        found.withLock { found in
            if let found { return found }
            do throws(JSONReadError) {
                let rows = try Self.locate(in: body, object: object)
                found = rows
                return rows
            } catch {
                stop(error)
            }
        }
    }

    /// Where each history of the object at `object` in `body` starts, passing over each one;
    /// the devices must ascend (as the writer writes them) and the object end at `object`'s end.
    static func locate(in body: UnsafeBufferPointer<UInt8>, object: Range<Int>) throws(JSONReadError) -> Rows {
        var rows = Rows()
        var reader = JSONReader(body, startingAt: object.lowerBound)
        try reader.beginObject()
        while let device = try reader.nextDeviceKey() {
            guard rows.devices.last.map({ $0 < device.rawValue }) ?? true else {
                throw reader.error("the counter history of \(device) is out of order or repeated")
            }
            rows.devices.append(device.rawValue)
            rows.starts.append(reader.positionOfNextValue())
            try reader.passOverContainer()
        }
        guard reader.position == object.upperBound else { throw reader.error("the counter histories end early") }
        return rows
    }

    private func stop(_ error: JSONReadError) -> Never {
        fatalError("\(path): the counter histories do not read at body byte \(error.offset) (\(error.message)); run `anchordesk store check`")
    }
}
