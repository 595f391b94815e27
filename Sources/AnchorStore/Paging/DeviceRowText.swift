import AnchorCore

/// One device as a store's device table keeps it for paging (the PostgreSQL backend's
/// `anchordesk.devices`): plain text for its identity, and the journal's own JSON for its
/// cells (shared as numbered cell sets) and its last request.
public struct DeviceRowText: Sendable {
    /// The EUI-64, as the journal writes it.
    public var id: String
    /// GPF, ESME, GSME or CHF.
    public var type: String
    /// The Responsible Supplier's organisation ID.
    public var supplier: String
    /// When it was commissioned (ISO 8601), if it was.
    public var commissionedAt: String?
    /// The number of its cell set.
    public var cellSet: Int
    /// Its last request, as the journal writes a request; `nil` when it has had none.
    public var lastRequest: String?
    /// Its recorded counter, in decimal, if one is recorded.
    public var recordedCounter: String?

    /// A row.
    public init(id: String, type: String, supplier: String, commissionedAt: String?, cellSet: Int,
                lastRequest: String?, recordedCounter: String?) {
        self.id = id
        self.type = type
        self.supplier = supplier
        self.commissionedAt = commissionedAt
        self.cellSet = cellSet
        self.lastRequest = lastRequest
        self.recordedCounter = recordedCounter
    }

    /// A device's row, its cell set numbered by the caller.
    public init(_ device: Device, cellSet: Int, lastRequest: RequestRecord?, recordedCounter: OriginatorCounter?) {
        self.init(id: device.id.description, type: device.type.rawValue, supplier: device.supplier,
                  commissionedAt: device.commissionedAt?.description, cellSet: cellSet,
                  lastRequest: lastRequest.map(Self.json), recordedCounter: recordedCounter?.description)
    }

    /// A device's cells as the journal writes them: `{"root":"root-ds",…}`.
    public static func json(_ cells: TrustAnchorCells) -> String {
        var writer = JSONWriter()
        DeviceRecordCoding.write(cells, to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// A request as the journal writes it.
    public static func json(_ request: RequestRecord) -> String {
        var writer = JSONWriter()
        LedgerRecordCoding.write(request, to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

extension StorePreview {
    /// A page of devices shown against a store's organisations and certificates.
    /// - Parameters:
    ///   - rows: the page's devices, in ID order.
    ///   - cellSets: each cell set's cells, as ``DeviceRowText/json(_:)-(TrustAnchorCells)`` writes them (any key order).
    ///   - deviceCount: how many devices the store holds.
    /// - Throws: `.corrupt` naming `path` when a row cannot be read.
    public init(page rows: [DeviceRowText], head: LedgerHead, cellSets: [Int: String], deviceCount: Int,
                shownAs path: String) throws(StoreError) {
        var devices: [Device] = []
        var recorded: [EUI64: OriginatorCounter] = [:]
        var requests: [RequestRecord] = []
        var cells: [Int: TrustAnchorCells] = [:]
        for row in rows {
            func corrupt(_ what: String) -> StoreError {
                StoreError.corrupt(path: path, offset: nil, reason: "device \(DisplaySafeText.sanitize(row.id)): \(what)")
            }
            guard let id = EUI64(row.id), let type = DeviceType(rawValue: row.type) else { throw corrupt("not a device ID and type") }
            if cells[row.cellSet] == nil {
                guard let text = cellSets[row.cellSet] else { throw corrupt("cell set \(row.cellSet) is missing") }
                cells[row.cellSet] = try Self.read(text, DeviceRecordCoding.readCells, or: corrupt)
            }
            var commissioned: Timestamp?
            if let text = row.commissionedAt {
                guard let time = Timestamp(iso8601: text) else { throw corrupt("commissionedAt is not a time") }
                commissioned = time
            }
            devices.append(Device(id: id, type: type, supplier: row.supplier, commissionedAt: commissioned, cells: cells[row.cellSet]!))
            if let counter = row.recordedCounter {
                guard let value = OriginatorCounter(decimal: counter) else { throw corrupt("the recorded counter is not a counter") }
                recorded[id] = value
            }
            if let request = row.lastRequest { requests.append(try Self.read(request, LedgerRecordCoding.readRequest, or: corrupt)) }
        }
        let ledger = head.ledger
        let estate = Estate(
            ledger: Ledger(organisations: ledger.organisations, certificates: ledger.certificates, recordedCounters: recorded,
                           requests: requests.sorted { $0.at < $1.at }),
            devices: DeviceTable(devices))
        self.init(estate: estate, deviceCount: deviceCount)
    }

    private static func read<Value>(_ text: String, _ decode: (inout JSONReader) throws(JSONReadError) -> Value,
                                    or failure: (String) -> StoreError) throws(StoreError) -> Value {
        var bytes = Array(text.utf8)
        do throws(JSONReadError) {
            return try bytes.withUnsafeMutableBufferPointer { buffer throws(JSONReadError) in
                var reader = JSONReader(UnsafeBufferPointer(buffer))
                let value = try decode(&reader)
                try reader.expectEnd()
                return value
            }
        } catch {
            throw failure(error.message)
        }
    }
}
