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

    /// The device the row names: its identity and its cells, each cell set read once into
    /// `decoded`. Its floors and any command it holds are not in the row.
    /// - Parameter cellSets: each cell set's cells, as ``json(_:)-(TrustAnchorCells)`` writes them (any key order).
    /// - Throws: `.corrupt` naming `path` when the row cannot be read.
    public func device(cellSets: [Int: String], decoded: inout [Int: TrustAnchorCells], shownAs path: String) throws(StoreError) -> Device {
        guard let id = EUI64(id), let type = DeviceType(rawValue: type) else { throw corrupt("not a device ID and type", path) }
        if decoded[cellSet] == nil {
            guard let text = cellSets[cellSet] else { throw corrupt("cell set \(cellSet) is missing", path) }
            decoded[cellSet] = try Self.read(text, DeviceRecordCoding.readCells) { corrupt($0, path) }
        }
        var commissioned: Timestamp?
        if let text = commissionedAt {
            guard let time = Timestamp(iso8601: text) else { throw corrupt("commissionedAt is not a time", path) }
            commissioned = time
        }
        return Device(id: id, type: type, supplier: supplier, commissionedAt: commissioned, cells: decoded[cellSet]!)
    }

    /// A cell set's cells, as ``json(_:)-(TrustAnchorCells)`` writes them (any key order).
    /// - Throws: `.corrupt` naming `path` when they cannot be read.
    public static func cells(_ text: String, shownAs path: String) throws(StoreError) -> TrustAnchorCells {
        try read(text, DeviceRecordCoding.readCells) { StoreError.corrupt(path: path, offset: nil, reason: "a cell set: \($0)") }
    }

    /// Why the row cannot be read, naming the device.
    func corrupt(_ what: String, _ path: String) -> StoreError {
        StoreError.corrupt(path: path, offset: nil, reason: "device \(DisplaySafeText.sanitize(id)): \(what)")
    }

    /// A value the row holds as JSON, read whole.
    static func read<Value>(_ text: String, _ decode: (inout JSONReader) throws(JSONReadError) -> Value,
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
