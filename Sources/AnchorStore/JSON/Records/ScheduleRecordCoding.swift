import AnchorCore

/// The store's hand-written JSON for the schedule log and received alerts: the same object form
/// in the journal and the snapshot, one per line.
enum ScheduleRecordCoding {
    /// `{"event","requestId","device","sender","counter","dueAt","handBack","alert","recordedCounter","detail","at"}`.
    static func write(_ record: ScheduleRecord, to writer: inout JSONWriter) {
        writer.raw("{\"event\":"); writer.string(record.event.rawValue)
        writer.raw(",\"requestId\":"); writer.string(record.requestId)
        writer.raw(",\"device\":"); writer.eui64(record.device)
        writer.raw(",\"sender\":"); writer.string(record.sender)
        writer.raw(",\"counter\":"); writer.counter(record.counter)
        writer.raw(",\"dueAt\":"); writer.timestamp(record.dueAt)
        writer.raw(",\"handBack\":"); writer.bool(record.handBack)
        writer.raw(",\"alert\":")
        if let alert = record.alert { writer.string(alert) } else { writer.null() }
        writer.raw(",\"recordedCounter\":"); writer.counter(record.recordedCounter)
        writer.raw(",\"detail\":"); writer.string(record.detail)
        writer.raw(",\"at\":"); writer.timestamp(record.at)
        writer.byte(UInt8(ascii: "}"))
    }

    static func readRecord(_ reader: inout JSONReader) throws(JSONReadError) -> ScheduleRecord {
        var event: ScheduleRecord.Event?, requestId: String?, device: EUI64?, sender: String?, counter: OriginatorCounter?
        var dueAt: Timestamp?, handBack: Bool?, alert: String?, recorded: OriginatorCounter?, detail: String?, at: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "event": event = try reader.readEnum(ScheduleRecord.Event.self)
            case "requestId": requestId = try reader.readString()
            case "device": device = try reader.readEUI64()
            case "sender": sender = try reader.readString()
            case "counter": counter = try reader.readCounter()
            case "dueAt": dueAt = try reader.readTimestamp()
            case "handBack": handBack = try reader.readBool()
            case "alert": alert = reader.readNullIfPresent() ? nil : try reader.readString()
            case "recordedCounter": recorded = reader.readNullIfPresent() ? nil : try reader.readCounter()
            case "detail": detail = try reader.readString()
            case "at": at = try reader.readTimestamp()
            default: throw reader.unknownKey(key, in: "a schedule entry")
            }
        }
        let object = "a schedule entry"
        return ScheduleRecord(
            event: try reader.require(event, "event", in: object), requestId: try reader.require(requestId, "requestId", in: object),
            device: try reader.require(device, "device", in: object), sender: try reader.require(sender, "sender", in: object),
            counter: try reader.require(counter, "counter", in: object), dueAt: try reader.require(dueAt, "dueAt", in: object),
            handBack: try reader.require(handBack, "handBack", in: object), alert: alert, recordedCounter: recorded,
            detail: try reader.require(detail, "detail", in: object), at: try reader.require(at, "at", in: object))
    }

    /// `{"device","alertCounter","bytes":"hex","receivedAt"}`.
    static func write(_ alert: ReceivedAlert, to writer: inout JSONWriter) {
        writer.raw("{\"device\":"); writer.eui64(alert.device)
        writer.raw(",\"alertCounter\":"); writer.counter(alert.alertCounter)
        writer.raw(",\"bytes\":"); writer.hex(alert.bytes)
        writer.raw(",\"receivedAt\":"); writer.timestamp(alert.receivedAt)
        writer.byte(UInt8(ascii: "}"))
    }

    static func readAlert(_ reader: inout JSONReader) throws(JSONReadError) -> ReceivedAlert {
        var device: EUI64?, counter: OriginatorCounter?, bytes: [UInt8]?, receivedAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "device": device = try reader.readEUI64()
            case "alertCounter": counter = try reader.readCounter()
            case "bytes": bytes = try reader.readHexBytes()
            case "receivedAt": receivedAt = try reader.readTimestamp()
            default: throw reader.unknownKey(key, in: "an alert")
            }
        }
        let object = "an alert"
        return ReceivedAlert(
            device: try reader.require(device, "device", in: object), alertCounter: try reader.require(counter, "alertCounter", in: object),
            bytes: try reader.require(bytes, "bytes", in: object), receivedAt: try reader.require(receivedAt, "receivedAt", in: object))
    }

    /// A device's pending command: `{"command":"hex","dueAt"}`.
    static func write(_ pending: PendingCommand, to writer: inout JSONWriter) {
        writer.raw("{\"command\":"); writer.hex(pending.command)
        writer.raw(",\"dueAt\":"); writer.timestamp(pending.dueAt)
        writer.byte(UInt8(ascii: "}"))
    }

    static func readPending(_ reader: inout JSONReader) throws(JSONReadError) -> PendingCommand {
        var command: [UInt8]?, dueAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "command": command = try reader.readHexBytes()
            case "dueAt": dueAt = try reader.readTimestamp()
            default: throw reader.unknownKey(key, in: "a pending command")
            }
        }
        return PendingCommand(command: try reader.require(command, "command", in: "a pending command"),
                              dueAt: try reader.require(dueAt, "dueAt", in: "a pending command"))
    }
}

extension JSONReader {
    /// Bytes written as a string of hexadecimal digits, two per byte.
    mutating func readHexBytes() throws(JSONReadError) -> [UInt8] {
        let start = position
        func nibble(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        guard let text = readUnescapedASCIIString(), text.count % 2 == 0 else {
            throw JSONReadError(offset: start, message: "expected hexadecimal bytes (an even number of hex digits in a plain string)")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        for index in stride(from: 0, to: text.count, by: 2) {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else {
                throw JSONReadError(offset: start + 1 + index, message: "not a hex digit in hexadecimal bytes")
            }
            bytes.append(high << 4 | low)
        }
        return bytes
    }
}
