import AnchorCore
import Glibc
import Synchronization

/// A snapshot body's counter histories, left in the mapped file: how a store opens after a bulk
/// run of a hundred thousand hand-backs without reading them.
///
/// Opening finds only where the `counterHistory` object ends (``endOfObject(in:from:)``). Where
/// each device's history starts is found the first time one is asked for, and a history is
/// read when it is asked for. The body has passed its CRC-32C, so every history reads; one that
/// does not (a body forged to pass its own checksum) stops the process with the offset rather
/// than hand back another. `store check` reads them all.
final class SnapshotCounterHistories: StoredCounterHistories, @unchecked Sendable {
    /// Where each device's history starts in the body, devices ascending.
    private struct Rows {
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

    /// The offset just past the object that starts at `start`, as the snapshot writer lays it
    /// out: one member a line, so it ends at the first line that starts with `}`.
    static func endOfObject(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        var lineEnd = start
        while lineEnd < buffer.count, let newline = memchr(base + lineEnd, 0x0A, buffer.count - lineEnd) {
            lineEnd = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
            if lineEnd < buffer.count, buffer[lineEnd] == UInt8(ascii: "}") { return lineEnd + 1 }
        }
        return nil
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
        var reader = JSONReader(body, startingAt: rows.starts[position])
        var entries: [CounterHistoryEntry] = []
        do throws(JSONReadError) {
            try reader.beginArray()
            while try reader.nextElement() { entries.append(try LedgerRecordCoding.readHistoryEntry(&reader)) }
        } catch {
            stop(error)
        }
        return entries
    }

    func hasSameHistories(as other: any StoredCounterHistories) -> Bool {
        if other === self { return true }
        guard let other = other as? SnapshotCounterHistories else { return false }
        return other.body.count == body.count && other.bodyChecksum == bodyChecksum && other.object == object
    }

    /// Where each history starts, found on first use by passing over each one.
    private var rows: Rows {
        found.withLock { found in
            if let found { return found }
            var rows = Rows()
            var reader = JSONReader(body, startingAt: object.lowerBound)
            do throws(JSONReadError) {
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
            } catch {
                stop(error)
            }
            found = rows
            return rows
        }
    }

    private func stop(_ error: JSONReadError) -> Never {
        fatalError("\(path): the counter histories do not read at body byte \(error.offset) (\(error.message)); run `anchordesk store check`")
    }
}
