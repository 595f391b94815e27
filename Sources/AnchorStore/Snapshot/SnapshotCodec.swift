import AnchorCore

/// The snapshot body: the estate as readable JSON, one organisation, certificate, cell set,
/// device, history list, request, lifecycle action, schedule step, alert or audit entry per line.
///
/// Requests are rows of the request object's values in order. Devices are rows `[id, type, supplier, commissionedAt, cellSet, floors]` that name a
/// shared cell set by index, so the million devices of a national estate, most of which
/// hold the same certificates, are written once each in about 110 bytes and load with the
/// cell contents shared between them. Rows must be in ID order, cell sets must come before
/// the devices and name known certificates, and devices must name known Suppliers: the
/// checks that keep a damaged or hand-edited snapshot from loading as a different estate.
enum SnapshotCodec {
    /// What a snapshot holds besides the estate, and where its log rows start.
    struct Contents {
        var estate: Estate
        /// The audit chain so far, oldest first.
        var audit: AuditTrail
        /// Byte offsets of each request, lifecycle and audit row, when asked for.
        var offsets = RowOffsets()
    }

    /// Where each log row starts in a snapshot body.
    struct RowOffsets {
        /// Each audited log's rows, by the kind of entry that names them.
        var rows: [AuditEntry.Kind: [Int]] = [:]
        var audit: [Int] = []
    }

    /// The body: the estate without its request log (which the snapshot's log holds, ``SnapshotLogCodec``).
    static func encodeBody(_ estate: Estate) -> [UInt8] {
        encodeBodyAndRows(estate).body
    }

    /// The body, and where its device rows are (what ``SnapshotDeviceIndex`` holds).
    static func encodeBodyAndRows(_ estate: Estate) -> (body: [UInt8], rows: SnapshotDeviceIndex.Rows) {
        let ledger = estate.ledger
        // One pass over the devices numbers their cell sets and writes their rows apart; the
        // rows follow the sets in the body and are copied in there.
        var cellSets = CellSetNumbering()
        var rows = SnapshotDeviceIndex.Rows(array: 0..<0)
        rows.reserveCapacity(estate.devices.count)
        var devices = JSONWriter(reservingCapacity: estate.devices.count * 120)
        for (index, device) in estate.devices.enumerated() {
            devices.raw(index == 0 ? "[\n" : ",\n")
            let cellSet = cellSets.number(of: device.cells)
            rows.append(device, start: devices.bytes.count, cellSet: cellSet)
            DeviceRecordCoding.writeCompact(device, cellSet: cellSet, to: &devices)
        }
        devices.raw(estate.devices.isEmpty ? "[\n]" : "\n]")
        // Room for the rows and a quarter more, for the counters and histories around them.
        var writer = JSONWriter(reservingCapacity: 4096 + devices.bytes.count + devices.bytes.count / 4)
        func list<Element>(_ key: StaticString, _ elements: [Element], first: Bool = false, _ write: (Element, inout JSONWriter) -> Void) {
            writer.raw(first ? "{\"" : ",\n\"")
            writer.raw(key)
            writer.raw("\":[")
            for (index, element) in elements.enumerated() {
                writer.raw(index == 0 ? "\n" : ",\n")
                write(element, &writer)
            }
            writer.raw("\n]")
        }
        list("organisations", ledger.organisations, first: true) { LedgerRecordCoding.write($0, to: &$1) }
        list("certificates", ledger.certificates) { LedgerRecordCoding.write($0, to: &$1) }
        // The recorded counters come before the devices (and the longer counter history after
        // them), so the first screen can be shown from the head of the body (``StorePreview``).
        writer.raw(",\n\"recordedCounters\":{")
        for (index, (device, counter)) in ledger.recordedCounters.enumerated() {
            writer.raw(index == 0 ? "\n" : ",\n")
            writer.eui64(device)
            writer.byte(UInt8(ascii: ":"))
            writer.counter(counter)
        }
        writer.raw("\n}")

        list("cellSets", cellSets.sets) { DeviceRecordCoding.write($0, to: &$1) }
        writer.raw(",\n\"deviceCount\":")
        writer.number(estate.devices.count)
        writer.raw(",\n\"devices\":")
        rows.moveStarts(by: writer.bytes.count)
        rows.array = writer.bytes.count..<(writer.bytes.count + devices.bytes.count)
        rows.cellSets = cellSets.sets
        writer.append(encoded: devices.bytes)
        writer.raw(",\n\"counterHistory\":{")
        for (index, (device, entries)) in ledger.counterHistory.enumerated() {
            writer.raw(index == 0 ? "\n" : ",\n")
            writer.eui64(device)
            writer.raw(":[")
            for (position, entry) in entries.enumerated() {
                if position > 0 { writer.byte(UInt8(ascii: ",")) }
                LedgerRecordCoding.write(entry, to: &writer)
            }
            writer.byte(UInt8(ascii: "]"))
        }
        writer.raw("\n}")

        list("lifecycle", ledger.lifecycle) { LifecycleRecordCoding.write($0, to: &$1) }
        list("schedule", ledger.schedule) { ScheduleRecordCoding.write($0, to: &$1) }
        list("alerts", ledger.alerts) { ScheduleRecordCoding.write($0, to: &$1) }
        writer.raw("}")
        return (writer.bytes, rows)
    }

    static func decode(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> Estate {
        try decode(buffer, recordingOffsets: false).estate
    }

    /// A snapshot body that holds everything, as schemas 1 to 4 wrote it.
    static func decode(_ buffer: UnsafeBufferPointer<UInt8>, recordingOffsets: Bool) throws(JSONReadError) -> Contents {
        var parts = Parts()
        try decode(buffer, recordingOffsets: recordingOffsets, into: &parts)
        return parts.contents()
    }

    /// What a snapshot's members hold, gathered from the body and (schema 5) the log.
    struct Parts {
        var organisations: [Organisation] = []
        var certificates: [Certificate] = []
        var cellSets: [TrustAnchorCells]?
        var devices: [Device] = []
        var recorded = RecordedCounters()
        var history: [EUI64: [CounterHistoryEntry]] = [:]
        var requests: [RequestRecord] = []
        var lifecycle: [LifecycleRecord] = []
        var schedule: [ScheduleRecord] = []
        var alerts: [ReceivedAlert] = []
        var audit: [AuditEntry] = []
        var offsets = RowOffsets()
        /// The body's `deviceCount`, when it has one.
        var deviceCount: Int?
        /// Whether the recorded counters have been read (older bodies put them after the devices).
        var readRecordedCounters = false
        /// An index of the body's device rows, when they are to be left unread (``SnapshotDeviceIndex``).
        var deviceIndex: SnapshotDeviceIndex?
        /// The log's CRC-32C, once taken.
        var logChecksum: UInt32 = 0
        /// The rows left unread, read through that index.
        var storedDevices: (any StoredDeviceRows)?
        /// Where the counter histories are in the body, when they are left unread with the rows.
        var historyObject: Range<Int>?
        /// The histories left unread, each read when asked for.
        var storedHistories: (any StoredCounterHistories)?
        /// Where each device row was read, when asked for (to make that index).
        var deviceRows: SnapshotDeviceIndex.Rows?

        /// The estate and audit chain, over `requestLog` when the rows stay on disk, else over the rows read.
        func contents(requestLog: RequestLog? = nil) -> Contents {
            let histories = storedHistories.map { CounterHistories(stored: $0) } ?? CounterHistories(history)
            let estate = Estate(
                ledger: Ledger(organisations: organisations, certificates: certificates, recordedCounters: recorded,
                               counterHistory: histories, requestLog: requestLog ?? RequestLog(requests), lifecycle: lifecycle,
                               schedule: schedule, alerts: alerts),
                devices: storedDevices.map { DeviceTable(stored: $0) } ?? DeviceTable(devices))
            return Contents(estate: estate, audit: AuditTrail(audit), offsets: offsets)
        }
    }

    /// Reads one JSON object of snapshot members into `parts`; recorded row offsets are those
    /// within `buffer` plus `offsetBase`.
    /// `stoppingAfter`: return as soon as that many devices are read, leaving the rest (a preview).
    static func decode(
        _ buffer: UnsafeBufferPointer<UInt8>, recordingOffsets: Bool, offsetBase: Int = 0, into parts: inout Parts,
        stoppingAfter deviceLimit: Int? = nil
    ) throws(JSONReadError) {
        var reader = JSONReader(buffer)
        func record(_ kind: AuditEntry.Kind, _ parts: inout Parts) {
            if recordingOffsets { parts.offsets.rows[kind, default: []].append(offsetBase + reader.position) }
        }
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "organisations":
                try reader.beginArray()
                while try reader.nextElement() { parts.organisations.append(try LedgerRecordCoding.readOrganisation(&reader)) }
            case "certificates":
                try reader.beginArray()
                while try reader.nextElement() { parts.certificates.append(try LedgerRecordCoding.readCertificate(&reader)) }
            case "cellSets":
                let known = Set(parts.certificates.map(\.id))
                var sets: [TrustAnchorCells] = []
                try reader.beginArray()
                while try reader.nextElement() {
                    let start = reader.position
                    let cells = try DeviceRecordCoding.readCells(&reader)
                    if let unknown = cells.all.compactMap(\.certificate).first(where: { !known.contains($0) }) {
                        throw JSONReadError(offset: start, message: "cell set names unknown certificate '\(DisplaySafeText.sanitize(unknown))'")
                    }
                    sets.append(cells)
                }
                parts.cellSets = sets
            case "deviceCount":
                let count = try reader.readInt()
                parts.deviceCount = count
                parts.devices.reserveCapacity(min(count, deviceLimit ?? count, buffer.count / 16))
            case "devices":
                guard let cellSets = parts.cellSets else { throw reader.error("devices come before cellSets") }
                let suppliers = Set(parts.organisations.lazy.filter { $0.role == .supplier }.map(\.id))
                if let index = parts.deviceIndex {
                    // The rows stay where they are: the index says where they end.
                    guard reader.position == index.array.lowerBound, index.count == parts.deviceCount,
                          index.suppliers.allSatisfy(suppliers.contains)
                    else { throw reader.error("the devices are not where \(SnapshotDeviceIndex.fileName) says") }
                    try reader.beginArray()
                    reader.finishArray(at: index.array.upperBound)
                    continue
                }
                let cellSetNumbers = Dictionary(cellSets.enumerated().map { ($1.storageIdentity, $0) }) { first, _ in first }
                parts.deviceRows?.array = reader.position..<reader.position
                try reader.beginArray()
                while try reader.nextElement() {
                    let row = reader.positionOfNextValue()
                    let device = try DeviceRecordCoding.readCompact(&reader, cellSets: cellSets)
                    parts.deviceRows?.append(device, start: row, cellSet: cellSetNumbers[device.cells.storageIdentity] ?? 0)
                    guard suppliers.contains(device.supplier) else {
                        throw JSONReadError(offset: row, message: "device \(device.id) names an unknown Supplier")
                    }
                    guard parts.devices.last.map({ $0.id < device.id }) ?? true else {
                        throw JSONReadError(offset: row, message: "device \(device.id) is out of order or repeated")
                    }
                    parts.devices.append(device)
                    if parts.devices.count == deviceLimit { return }
                }
                if let start = parts.deviceRows?.array.lowerBound { parts.deviceRows?.array = start..<reader.position }
            case "recordedCounters":
                parts.readRecordedCounters = true
                // Written in ascending order, and so read as columns; in any other order, by hash.
                var devices: [EUI64] = []
                var counters: [OriginatorCounter] = []
                try reader.beginObject()
                while let device = try reader.nextDeviceKey() {
                    devices.append(device)
                    counters.append(try reader.readCounter())
                }
                let read = RecordedCounters(ascending: devices, counters: counters)
                    ?? RecordedCounters(Dictionary(zip(devices, counters)) { _, last in last })
                // A second member adds to the first, as it always has.
                parts.recorded = parts.recorded.isEmpty ? read : RecordedCounters(
                    Dictionary((Array(parts.recorded) + Array(read)).map { ($0.device, $0.counter) }) { _, last in last })
            case "counterHistory" where parts.deviceIndex != nil:
                // The rows stay where they are, and so do the histories, each read when asked for.
                // A second member would add to the first: such a body is read whole.
                guard parts.historyObject == nil else { throw reader.error("a second counterHistory member") }
                let start = reader.positionOfNextValue()
                try reader.passOverContainer()
                parts.historyObject = start..<reader.position
            case "counterHistory":
                try reader.beginObject()
                while let device = try reader.nextDeviceKey() {
                    var entries: [CounterHistoryEntry] = []
                    try reader.beginArray()
                    while try reader.nextElement() { entries.append(try LedgerRecordCoding.readHistoryEntry(&reader)) }
                    parts.history[device] = entries
                }
            case "requests":
                let read = try SnapshotRows.readArray(&reader, LedgerRecordCoding.readCompactRequest)
                parts.requests = read.rows
                if recordingOffsets { parts.offsets.rows[.request] = read.starts.map { offsetBase + $0 } }
            case "lifecycle":
                try reader.beginArray()
                while try reader.nextElement() {
                    record(.lifecycle, &parts)
                    parts.lifecycle.append(try LifecycleRecordCoding.readRecord(&reader))
                }
            case "schedule":
                try reader.beginArray()
                while try reader.nextElement() {
                    record(.schedule, &parts)
                    parts.schedule.append(try ScheduleRecordCoding.readRecord(&reader))
                }
            case "alerts":
                try reader.beginArray()
                while try reader.nextElement() {
                    record(.alert, &parts)
                    parts.alerts.append(try ScheduleRecordCoding.readAlert(&reader))
                }
            case "audit":
                let read = try SnapshotRows.readArray(&reader, AuditRowCoding.read)
                parts.audit = read.rows
                if recordingOffsets { parts.offsets.audit = read.starts.map { offsetBase + $0 } }
            default:
                throw reader.unknownKey(key, in: "the snapshot")
            }
        }
        try reader.expectEnd()
    }
}
