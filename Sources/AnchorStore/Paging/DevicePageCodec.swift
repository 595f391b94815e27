import AnchorCore

/// A page of devices as the operator API carries it to a remote console:
/// `{"deviceCount":N,"matching":M,"estate":{…},"requests":[…]}`, where `estate` is the page's
/// estate as a snapshot body holds one (``SnapshotCodec``: the organisations, certificates,
/// lifecycle log, and the page's devices with their counters, schedule and alerts) and
/// `requests` the page's requests as compact rows. The filter, order, start and limit are the
/// asker's own.
public enum DevicePageCodec {
    /// The page's bytes.
    public static func encode(_ page: DevicePage) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 4096 + page.preview.estate.devices.count * 400)
        writer.raw("{\"deviceCount\":")
        writer.number(page.preview.deviceCount)
        writer.raw(",\"matching\":")
        writer.number(page.matching)
        writer.raw(",\"estate\":")
        writer.append(encoded: SnapshotCodec.encodeBody(page.preview.estate))
        writer.raw(",\"requests\":[")
        for (index, request) in page.preview.estate.ledger.requests.enumerated() {
            writer.raw(index == 0 ? "\n" : ",\n")
            LedgerRecordCoding.writeCompact(request, to: &writer)
        }
        writer.raw("\n]}")
        return writer.bytes
    }

    /// The page `encode` wrote, asked for with `filter`, `sort`, `start` and `limit`.
    /// - Throws: `.corrupt` naming `shownAs` when the bytes are not a page.
    public static func decode(
        _ bytes: [UInt8], filter: DeviceFilter, sort: DeviceSort, start: DevicePageStart, limit: Int, shownAs source: String
    ) throws(StoreError) -> DevicePage {
        do throws(JSONReadError) {
            return try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
                var reader = JSONReader(buffer)
                var deviceCount: Int?, matching: Int?, estate: Estate?, requests: [RequestRecord]?
                try reader.beginObject()
                while let key = try reader.nextKey() {
                    switch key {
                    case "deviceCount": deviceCount = try reader.readInt()
                    case "matching": matching = try reader.readInt()
                    case "estate":
                        let begin = reader.position
                        try reader.skipValue()
                        do throws(JSONReadError) {
                            estate = try SnapshotCodec.decode(UnsafeBufferPointer(rebasing: buffer[begin..<reader.position]))
                        } catch {
                            throw JSONReadError(offset: begin + error.offset, message: error.message)
                        }
                    case "requests": requests = try SnapshotRows.readArray(&reader, LedgerRecordCoding.readCompactRequest).rows
                    default: throw reader.unknownKey(key, in: "a page of devices")
                    }
                }
                try reader.expectEnd()
                guard let deviceCount, let matching, let estate, let requests else { throw reader.error("a page of devices lacks a member") }
                let ledger = estate.ledger
                let paged = Estate(
                    ledger: Ledger(organisations: ledger.organisations, certificates: ledger.certificates, recordedCounters: ledger.recordedCounters,
                                   counterHistory: ledger.counterHistory, requests: requests, lifecycle: ledger.lifecycle,
                                   schedule: ledger.schedule, alerts: ledger.alerts),
                    devices: estate.devices)
                return DevicePage(preview: StorePreview(estate: paged, deviceCount: deviceCount), filter: filter, sort: sort,
                                  matching: matching, start: start, limit: limit)
            }
        } catch {
            throw StoreError.corrupt(path: source, offset: error.offset, reason: "a page of devices: \(error.message)")
        }
    }
}
