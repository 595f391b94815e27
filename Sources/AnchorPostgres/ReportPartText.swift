import AnchorCore
import AnchorStore

/// Reads a report's part as the database writes it (``PostgresReportParts/counterRisk(after:through:limit:acbCertificates:)``,
/// ``PostgresReportParts/commissioned(after:through:limit:)``), and puts each list in ID order.
///
/// - The rows' text: devices one after another, each `H` (a device's row, whose history is
///   read apart) or `R` (a device's row, without a history); a row is ID, type, Supplier,
///   commissioned at or `-`, cell set. Each field is its length in characters, `:` and the field
///   as UTF-8 (the session's client encoding, whatever the database's).
/// - Counter-risk's unlogged GPFs: their IDs one after another, each ``EUI64/canonicalLength``
///   bytes (which the database checks of each: ``PostgresReportParts``), and their Suppliers in
///   the same order (a `text[]`, ``BinaryTextArray``).
///
/// Read by hand, a part at a time, because decoding a row or an array element a device through
/// PostgresNIO costs more than the report's own work at millions of GPFs.
struct ReportPartText {
    /// Devices read as rows, in ID order, each saying whether it has a history.
    var rows: [(row: DeviceRowText, logged: Bool)] = []
    /// Unlogged GPFs, in ID order.
    var unlogged: [CounterRiskReport.UnloggedGPF] = []

    /// The last device's ID in the store's order (bytewise), as the store holds it; `nil` for no device.
    private(set) var lastID: String?

    /// Reads a part of rows only.
    /// - Throws: `.corrupt` naming `shown` when it is not as written.
    init(_ text: String, shownAs shown: String) throws(StoreError) {
        try self.init(text, unloggedIDs: "", unloggedSuppliers: [], shownAs: shown)
    }

    /// Reads a part of rows and unlogged GPFs (`unloggedIDs` and `unloggedSuppliers`, in the same order).
    /// - Throws: `.corrupt` naming `shown` when it is not as written.
    init(_ text: String, unloggedIDs: String, unloggedSuppliers: [String], shownAs shown: String) throws(StoreError) {
        var text = text
        var ids = unloggedIDs
        let parsed: Result<([(row: DeviceRowText, logged: Bool)], String?), StoreError> = text.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            var rows: [(row: DeviceRowText, logged: Bool)] = []
            var last: UnsafeBufferPointer<UInt8>?
            while let kind = reader.next() {
                guard kind == UInt8(ascii: "H") || kind == UInt8(ascii: "R"), let id = reader.field(), let type = reader.string(),
                      let supplier = reader.string(), let commissioned = reader.optionalString(), let cellText = reader.string(),
                      let cellSet = Int(cellText) else {
                    return .failure(Self.corrupt(shown))
                }
                if last.map({ $0.lexicographicallyPrecedes(id) }) ?? true { last = id }
                rows.append((DeviceRowText(id: String(decoding: id, as: UTF8.self), type: type, supplier: supplier,
                                           commissionedAt: commissioned, cellSet: cellSet, lastRequest: nil, recordedCounter: nil),
                             kind == UInt8(ascii: "H")))
            }
            return .success((rows, last.map { String(decoding: $0, as: UTF8.self) }))
        }
        let rowsLastID: String?
        (rows, rowsLastID) = try parsed.get()
        let unloggedLastID: String?
        (unlogged, unloggedLastID) = try ids.withUTF8 { bytes in
            Result { () throws(StoreError) in try Self.unlogged(bytes, suppliers: unloggedSuppliers, shownAs: shown) }
        }.get()
        lastID = [rowsLastID, unloggedLastID].compactMap { $0 }.max { PostgresReportReader.precedes($0, $1) }
        if !zip(unlogged, unlogged.dropFirst()).allSatisfy({ $0.device < $1.device }) { unlogged.sort { $0.device < $1.device } }
        if !zip(rows, rows.dropFirst()).allSatisfy({ PostgresReportReader.precedes($0.row.id, $1.row.id) }) {
            rows.sort { PostgresReportReader.precedes($0.row.id, $1.row.id) }
        }
    }

    /// The unlogged GPFs of `ids` (IDs one after another) and `suppliers`, with the last ID as the store holds it.
    private static func unlogged(_ ids: UnsafeBufferPointer<UInt8>, suppliers: [String],
                                 shownAs shown: String) throws(StoreError) -> ([CounterRiskReport.UnloggedGPF], String?) {
        let width = EUI64.canonicalLength
        guard ids.count == suppliers.count * width else { throw corrupt(shown) }
        var unlogged: [CounterRiskReport.UnloggedGPF] = []
        unlogged.reserveCapacity(suppliers.count)
        var last: UnsafeBufferPointer<UInt8>?
        for (index, supplier) in suppliers.enumerated() {
            let id = UnsafeBufferPointer(rebasing: ids[(index * width)..<((index + 1) * width)])
            guard let device = EUI64(utf8: id) else { throw corrupt(shown) }
            if last.map({ $0.lexicographicallyPrecedes(id) }) ?? true { last = id }
            unlogged.append(CounterRiskReport.UnloggedGPF(device: device, supplier: supplier))
        }
        return (unlogged, last.map { String(decoding: $0, as: UTF8.self) })
    }

    /// What a part not as written is: the store named `shown` is corrupt.
    static func corrupt(_ shown: String) -> StoreError {
        .corrupt(path: shown, offset: nil, reason: "a part of a report was not as written")
    }

    /// The fields of a part's rows, in order.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        /// The next byte, if any.
        mutating func next() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        /// A field's bytes: its length in characters, `:`, then that many characters of UTF-8
        /// (each a lead byte and its continuation bytes).
        mutating func field() -> UnsafeBufferPointer<UInt8>? {
            var length = 0
            var digits = 0
            while position < bytes.count, bytes[position] != UInt8(ascii: ":") {
                let digit = Int(bytes[position]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit), digits < 10 else { return nil }
                length = length * 10 + digit
                digits += 1
                position += 1
            }
            guard digits > 0, position < bytes.count else { return nil }
            let start = position + 1
            var end = start
            for _ in 0..<length {
                guard end < bytes.count else { return nil }
                end += 1
                while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            }
            position = end
            return UnsafeBufferPointer(rebasing: bytes[start..<end])
        }

        /// A field as text.
        mutating func string() -> String? {
            field().map { String(decoding: $0, as: UTF8.self) }
        }

        /// A field that may be `-`, for none.
        mutating func optionalString() -> String?? {
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
                position += 1
                return .some(nil)
            }
            return string().map { .some($0) }
        }
    }
}
