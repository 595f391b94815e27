import AnchorCore

/// The store's hand-written JSON for journal records: one committed request and its effects.
enum ChangeRecordCoding {
    /// `{"sequence":"N","change":{"ledger":{...},"device":{...}|null}}` on one line.
    static func encode(sequence: UInt64, change: EstateChange) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 1536)
        writer.raw("{\"sequence\":"); writer.decimalString(sequence)
        writer.raw(",\"change\":{\"ledger\":{\"request\":")
        LedgerRecordCoding.write(change.ledger.request, to: &writer)
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
        writer.raw("}}")
        return writer.bytes
    }

    /// Reads one journal record's payload.
    static func decode(_ bytes: [UInt8]) throws(JSONReadError) -> (sequence: UInt64, change: EstateChange) {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
            var reader = JSONReader(buffer)
            var sequence: UInt64?
            var change: EstateChange?
            try reader.beginObject()
            while let key = try reader.nextKey() {
                switch key {
                case "sequence": sequence = try reader.readDecimalString()
                case "change": change = try readChange(&reader)
                default: throw reader.unknownKey(key, in: "a journal record")
                }
            }
            try reader.expectEnd()
            return (try reader.require(sequence, "sequence", in: "a journal record"), try reader.require(change, "change", in: "a journal record"))
        }
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
