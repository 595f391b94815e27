import AnchorCore

/// One device's part of the DCC's logs: its recorded counter and counter history, its requests,
/// its schedule steps and its alerts, oldest first. With the organisations and certificates,
/// it is all a decision about that device reads of the ledger.
public struct DeviceHistory: Sendable, Equatable {
    /// The Data Management table's value for the device.
    public var recordedCounter: OriginatorCounter?
    /// Every value recorded for it.
    public var counterHistory: [CounterHistoryEntry] = []
    /// Its requests.
    public var requests: [RequestRecord] = []
    /// Its schedule log entries.
    public var schedule: [ScheduleRecord] = []
    /// The alerts it sent.
    public var alerts: [ReceivedAlert] = []

    /// No history.
    public init() {}

    /// Whether there is nothing in it.
    public var isEmpty: Bool {
        recordedCounter == nil && counterHistory.isEmpty && requests.isEmpty && schedule.isEmpty && alerts.isEmpty
    }

    /// Every device's history in a ledger, for the devices that have one (one pass over each log).
    public static func histories(in ledger: Ledger) -> [EUI64: DeviceHistory] {
        var histories: [EUI64: DeviceHistory] = [:]
        for (device, counter) in ledger.recordedCounters { histories[device, default: DeviceHistory()].recordedCounter = counter }
        for (device, entries) in ledger.counterHistory { histories[device, default: DeviceHistory()].counterHistory = entries }
        for record in ledger.requests { histories[record.device, default: DeviceHistory()].requests.append(record) }
        for record in ledger.schedule { histories[record.device, default: DeviceHistory()].schedule.append(record) }
        for alert in ledger.alerts { histories[alert.device, default: DeviceHistory()].alerts.append(alert) }
        return histories
    }

    /// A ledger holding what decisions about some devices read: `head`'s organisations,
    /// certificates and lifecycle log, and these devices' histories.
    public static func ledger(head: Ledger, histories: [EUI64: DeviceHistory]) -> Ledger {
        let ordered = histories.sorted { $0.key < $1.key }.map(\.value)
        var recorded: [EUI64: OriginatorCounter] = [:]
        var counterHistory: [EUI64: [CounterHistoryEntry]] = [:]
        for (device, history) in histories {
            recorded[device] = history.recordedCounter
            if !history.counterHistory.isEmpty { counterHistory[device] = history.counterHistory }
        }
        return Ledger(organisations: head.organisations, certificates: head.certificates, recordedCounters: RecordedCounters(recorded),
                      counterHistory: CounterHistories(counterHistory), requests: ordered.flatMap(\.requests), lifecycle: head.lifecycle,
                      schedule: ordered.flatMap(\.schedule), alerts: ordered.flatMap(\.alerts))
    }

    /// `{"recorded":"N"|null,"counterHistory":[...],"requests":[...],"schedule":[...],"alerts":[...]}`.
    public func encoded() -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 1024)
        writer.raw("{\"recorded\":"); writer.counter(recordedCounter)
        writer.raw(",\"counterHistory\":"); writeArray(counterHistory, to: &writer) { LedgerRecordCoding.write($0, to: &$1) }
        writer.raw(",\"requests\":"); writeArray(requests, to: &writer) { LedgerRecordCoding.write($0, to: &$1) }
        writer.raw(",\"schedule\":"); writeArray(schedule, to: &writer) { ScheduleRecordCoding.write($0, to: &$1) }
        writer.raw(",\"alerts\":"); writeArray(alerts, to: &writer) { ScheduleRecordCoding.write($0, to: &$1) }
        writer.byte(UInt8(ascii: "}"))
        return writer.bytes
    }

    private func writeArray<Element>(_ elements: [Element], to writer: inout JSONWriter, _ write: (Element, inout JSONWriter) -> Void) {
        writer.byte(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            write(element, &writer)
        }
        writer.byte(UInt8(ascii: "]"))
    }

    /// Reads what ``encoded()`` wrote.
    /// - Throws: `.corrupt` naming `path` when the bytes are not a device's history.
    public init(decoding bytes: [UInt8], shownAs path: String) throws(StoreError) {
        do throws(JSONReadError) {
            self = try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
                var reader = JSONReader(buffer)
                var history = DeviceHistory()
                try reader.beginObject()
                while let key = try reader.nextKey() {
                    switch key {
                    case "recorded": history.recordedCounter = reader.readNullIfPresent() ? nil : try reader.readCounter()
                    case "counterHistory":
                        try reader.beginArray()
                        while try reader.nextElement() { history.counterHistory.append(try LedgerRecordCoding.readHistoryEntry(&reader)) }
                    case "requests":
                        try reader.beginArray()
                        while try reader.nextElement() { history.requests.append(try LedgerRecordCoding.readRequest(&reader)) }
                    case "schedule":
                        try reader.beginArray()
                        while try reader.nextElement() { history.schedule.append(try ScheduleRecordCoding.readRecord(&reader)) }
                    case "alerts":
                        try reader.beginArray()
                        while try reader.nextElement() { history.alerts.append(try ScheduleRecordCoding.readAlert(&reader)) }
                    default: throw reader.unknownKey(key, in: "a device's history")
                    }
                }
                try reader.expectEnd()
                return history
            }
        } catch {
            throw StoreError.corrupt(path: path, offset: error.offset, reason: "a device's history: \(error.message)")
        }
    }
}
