import AnchorCore

/// A device's whole state (inventory, cells, floors, a held command) as the journal writes it:
/// one JSON object, for a database row.
public enum DeviceStateCoding {
    /// The device as JSON.
    public static func encode(_ device: Device) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 768)
        DeviceRecordCoding.write(device, to: &writer)
        return writer.bytes
    }

    /// A device from its JSON.
    /// - Throws: `.corrupt` naming `path` when the bytes are not a device.
    public static func decode(_ bytes: [UInt8], shownAs path: String) throws(StoreError) -> Device {
        do throws(JSONReadError) {
            return try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
                var reader = JSONReader(buffer)
                let device = try DeviceRecordCoding.readDevice(&reader)
                try reader.expectEnd()
                return device
            }
        } catch {
            throw StoreError.corrupt(path: path, offset: error.offset, reason: "a device's state: \(error.message)")
        }
    }
}

/// The parts of a device's state a database row keeps as JSON of their own, as the journal
/// writes them: its floors, and the command it holds for later.
public struct DeviceStateText: Sendable {
    /// `{"networkOperator":"N",…}`.
    public var floors: String
    /// `{"command":"hex","dueAt":"…"}`, or `nil` when it holds none.
    public var pending: String?

    /// The parts of `device`.
    public init(_ device: Device) {
        var writer = JSONWriter(reservingCapacity: 128)
        DeviceRecordCoding.write(device.floors, to: &writer)
        floors = String(decoding: writer.bytes, as: UTF8.self)
        pending = device.pending.map { pending in
            var writer = JSONWriter(reservingCapacity: 512)
            ScheduleRecordCoding.write(pending, to: &writer)
            return String(decoding: writer.bytes, as: UTF8.self)
        }
    }
}
