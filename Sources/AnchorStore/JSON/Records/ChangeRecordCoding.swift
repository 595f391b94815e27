import AnchorCore

/// What one journal record holds: a request with its effects, a lifecycle action, a device
/// alert's arrival, or a step in a future-dated command's life (acknowledged, cancelled, or its
/// alert processed).
enum JournalContent: Hashable {
    case request(EstateChange)
    case lifecycle(LifecycleChange)
    case alertArrival(AlertArrival)
    case schedule(ScheduleChange)

    /// Which log the record's entry is in.
    var kind: AuditEntry.Kind {
        switch self {
        case .request: .request
        case .lifecycle: .lifecycle
        case .alertArrival: .alert
        case .schedule: .schedule
        }
    }

    /// The records a processed request makes: the request, then (for a future-dated command or a
    /// cancellation) the device's acknowledgement as an entry of its own.
    static func records(for change: EstateChange) -> [JournalContent] {
        guard let step = change.ledger.schedule else { return [.request(change)] }
        var request = change
        request.ledger.schedule = nil
        return [.request(request), .schedule(ScheduleChange(record: step, recorded: nil))]
    }
}

/// A journal record's audit member: the previous entry's hash and its own.
struct AuditLink: Hashable {
    var previousHash: AuditHash
    var hash: AuditHash
}

/// The store's hand-written JSON for journal records: one committed request or lifecycle
/// action with its effects, and its link in the audit chain.
enum ChangeRecordCoding {
    /// One encoded record and the audit entry it makes.
    struct Encoded {
        var bytes: [UInt8]
        var kind: AuditEntry.Kind
        var hash: AuditHash
    }

    /// `{"sequence":"N","change":{"ledger":{...},"device":{...}|null},"audit":{"previousHash","hash"}}`,
    /// or `{"sequence":"N","lifecycle":{...},"audit":{...}}`, on one line: the sequence, then
    /// ``body(of:)``, then the audit link.
    static func encode(sequence: UInt64, content: JournalContent, previous: AuditHash) -> Encoded {
        let body = body(of: content)
        var writer = JSONWriter(reservingCapacity: body.bytes.count + 192)
        writer.raw("{\"sequence\":"); writer.decimalString(sequence)
        writer.byte(UInt8(ascii: ","))
        writer.append(encoded: body.bytes)
        let hash = AuditChain.hash(sequence: sequence, kind: body.kind, previous: previous, canonical: body.canonical)
        writer.raw(",\"audit\":{\"previousHash\":"); writer.string(previous.description)
        writer.raw(",\"hash\":"); writer.string(hash.description)
        writer.raw("}}")
        return Encoded(bytes: writer.bytes, kind: body.kind, hash: hash)
    }

    /// A record's content without its sequence and audit link: `"change":{...}`,
    /// `"lifecycle":{...}`, `"alert":{...}` or `"schedule":{...}`; with its kind and the
    /// canonical JSON of its log entry, which the audit hash covers.
    static func body(of content: JournalContent) -> (kind: AuditEntry.Kind, canonical: [UInt8], bytes: [UInt8]) {
        var writer = JSONWriter(reservingCapacity: 1536)
        let (kind, canonical) = AuditChain.entry(for: content)
        switch content {
        case .request(let change):
            writer.raw("\"change\":{\"ledger\":{\"request\":")
            writer.append(encoded: canonical)
            writer.raw(",\"organisationCounters\":{")
            for (index, (organisation, counter)) in change.ledger.organisationCounters.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                writer.string(organisation)
                writer.byte(UInt8(ascii: ":"))
                writer.counter(counter)
            }
            writer.raw("},\"recorded\":")
            if let recorded = change.ledger.recorded { LedgerRecordCoding.write(recorded, to: &writer) } else { writer.null() }
            writer.raw("},\"device\":")
            if let device = change.device { DeviceRecordCoding.write(device, to: &writer) } else { writer.null() }
            writer.byte(UInt8(ascii: "}"))
        case .lifecycle(let change):
            writer.raw("\"lifecycle\":")
            LifecycleRecordCoding.writeChange(change, recordBytes: canonical, to: &writer)
        case .alertArrival(let arrival):
            writer.raw("\"alert\":{\"received\":")
            writer.append(encoded: canonical)
            writer.raw(",\"device\":")
            DeviceRecordCoding.write(arrival.device, to: &writer)
            writer.byte(UInt8(ascii: "}"))
        case .schedule(let change):
            writer.raw("\"schedule\":{\"record\":")
            writer.append(encoded: canonical)
            writer.raw(",\"recorded\":")
            if let recorded = change.recorded { LedgerRecordCoding.write(recorded, to: &writer) } else { writer.null() }
            writer.byte(UInt8(ascii: "}"))
        }
        return (kind, canonical, writer.bytes)
    }

    /// Reads one journal record's payload; `audit` is `nil` for records written before the audit trail.
    static func decode(_ bytes: [UInt8]) throws(JSONReadError) -> (sequence: UInt64, content: JournalContent, audit: AuditLink?) {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
            var reader = JSONReader(buffer)
            var sequence: UInt64?
            var content: JournalContent?
            var audit: AuditLink?
            let object = "a journal record"
            try reader.beginObject()
            while let key = try reader.nextKey() {
                switch key {
                case "sequence": sequence = try reader.readDecimalString()
                case "change": content = .request(try readChange(&reader))
                case "lifecycle": content = .lifecycle(try LifecycleRecordCoding.readChange(&reader))
                case "alert": content = .alertArrival(try readArrival(&reader))
                case "schedule": content = .schedule(try readScheduleChange(&reader))
                case "audit": audit = try readAudit(&reader)
                default: throw reader.unknownKey(key, in: object)
                }
            }
            try reader.expectEnd()
            return (try reader.require(sequence, "sequence", in: object), try reader.require(content, "change", in: object), audit)
        }
    }

    private static func readArrival(_ reader: inout JSONReader) throws(JSONReadError) -> AlertArrival {
        var alert: ReceivedAlert?, device: Device?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "received": alert = try ScheduleRecordCoding.readAlert(&reader)
            case "device": device = try DeviceRecordCoding.readDevice(&reader)
            default: throw reader.unknownKey(key, in: "an alert arrival")
            }
        }
        return AlertArrival(alert: try reader.require(alert, "received", in: "an alert arrival"),
                            device: try reader.require(device, "device", in: "an alert arrival"))
    }

    private static func readScheduleChange(_ reader: inout JSONReader) throws(JSONReadError) -> ScheduleChange {
        var record: ScheduleRecord?, recorded: CounterHistoryEntry?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "record": record = try ScheduleRecordCoding.readRecord(&reader)
            case "recorded": recorded = reader.readNullIfPresent() ? nil : try LedgerRecordCoding.readHistoryEntry(&reader)
            default: throw reader.unknownKey(key, in: "a schedule change")
            }
        }
        return ScheduleChange(record: try reader.require(record, "record", in: "a schedule change"), recorded: recorded)
    }

    private static func readAudit(_ reader: inout JSONReader) throws(JSONReadError) -> AuditLink {
        var previous: AuditHash?, hash: AuditHash?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "previousHash": previous = try reader.readAuditHash()
            case "hash": hash = try reader.readAuditHash()
            default: throw reader.unknownKey(key, in: "an audit link")
            }
        }
        return AuditLink(previousHash: try reader.require(previous, "previousHash", in: "an audit link"),
                         hash: try reader.require(hash, "hash", in: "an audit link"))
    }

    private static func readChange(_ reader: inout JSONReader) throws(JSONReadError) -> EstateChange {
        var ledger: LedgerChange?
        var device: Device?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "ledger": ledger = try readLedgerChange(&reader)
            case "device": device = reader.readNullIfPresent() ? nil : try DeviceRecordCoding.readDevice(&reader)
            default: throw reader.unknownKey(key, in: "a change")
            }
        }
        return EstateChange(ledger: try reader.require(ledger, "ledger", in: "a change"), device: device)
    }

    private static func readLedgerChange(_ reader: inout JSONReader) throws(JSONReadError) -> LedgerChange {
        var request: RequestRecord?
        var counters: [String: OriginatorCounter] = [:]
        var recorded: CounterHistoryEntry?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "request": request = try LedgerRecordCoding.readRequest(&reader)
            case "organisationCounters":
                try reader.beginObject()
                while let organisation = try reader.nextKey() { counters[organisation] = try reader.readCounter() }
            case "recorded": recorded = reader.readNullIfPresent() ? nil : try LedgerRecordCoding.readHistoryEntry(&reader)
            default: throw reader.unknownKey(key, in: "a ledger change")
            }
        }
        return LedgerChange(request: try reader.require(request, "request", in: "a ledger change"),
                            organisationCounters: counters, recorded: recorded)
    }
}

extension JSONReader {
    /// A SHA-256 digest written as 64 lowercase hexadecimal digits.
    mutating func readAuditHash() throws(JSONReadError) -> AuditHash {
        try readParsedString("a SHA-256 hash (64 lowercase hex digits)") { AuditHash(hexUTF8: $0) }
    }
}
