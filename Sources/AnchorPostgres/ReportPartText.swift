import AnchorCore
import AnchorStore

/// Reads a report's part as the database writes it (``PostgresReportParts/counterRisk(after:through:limit:acbCertificates:)``,
/// ``PostgresReportParts/commissioned(after:through:limit:)``), and puts each list in ID order:
/// devices one after another, each `U` (an unlogged GPF: ID, Supplier), `H` (a device's row,
/// whose history is read apart) or `R` (a device's row, without a history); a row is ID, type,
/// Supplier, commissioned at or `-`, cell set. Each field is its length in characters, `:` and the
/// field as UTF-8 (the session's client encoding, whatever the database's). Read by hand, a part
/// at a time, because decoding a row or an array element a device costs more than the report's
/// own work at millions of GPFs.
struct ReportPartText {
    /// Devices read as rows, in ID order, each saying whether it has a history.
    var rows: [(row: DeviceRowText, logged: Bool)] = []
    /// Unlogged GPFs, in ID order.
    var unlogged: [CounterRiskReport.UnloggedGPF] = []

    /// The last device's ID in the store's order (bytewise), as the store holds it; `nil` for no device.
    private(set) var lastID: String?

    /// Reads `text`.
    /// - Throws: `.corrupt` naming `shown` when it is not as written.
    init(_ text: String, shownAs shown: String) throws(StoreError) {
        var text = text
        let parsed: Result<([(row: DeviceRowText, logged: Bool)], [CounterRiskReport.UnloggedGPF], String?), StoreError> = text.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            var rows: [(row: DeviceRowText, logged: Bool)] = []
            var unlogged: [CounterRiskReport.UnloggedGPF] = []
            var last: UnsafeBufferPointer<UInt8>?
            while let kind = reader.next() {
                guard let id = reader.field() else { return .failure(Self.corrupt(shown)) }
                if last.map({ $0.lexicographicallyPrecedes(id) }) ?? true { last = id }
                switch kind {
                case UInt8(ascii: "U"):
                    guard let device = EUI64(utf8: id), let supplier = reader.string() else {
                        return .failure(Self.corrupt(shown))
                    }
                    unlogged.append(CounterRiskReport.UnloggedGPF(device: device, supplier: supplier))
                case UInt8(ascii: "H"), UInt8(ascii: "R"):
                    guard let type = reader.string(), let supplier = reader.string(),
                          let commissioned = reader.optionalString(), let cellText = reader.string(), let cellSet = Int(cellText) else {
                        return .failure(Self.corrupt(shown))
                    }
                    rows.append((DeviceRowText(id: String(decoding: id, as: UTF8.self), type: type, supplier: supplier,
                                               commissionedAt: commissioned, cellSet: cellSet, lastRequest: nil, recordedCounter: nil),
                                 kind == UInt8(ascii: "H")))
                default:
                    return .failure(Self.corrupt(shown))
                }
            }
            return .success((rows, unlogged, last.map { String(decoding: $0, as: UTF8.self) }))
        }
        (rows, unlogged, lastID) = try parsed.get()
        if !zip(unlogged, unlogged.dropFirst()).allSatisfy({ $0.device < $1.device }) { unlogged.sort { $0.device < $1.device } }
        if !zip(rows, rows.dropFirst()).allSatisfy({ PostgresReportReader.precedes($0.row.id, $1.row.id) }) {
            rows.sort { PostgresReportReader.precedes($0.row.id, $1.row.id) }
        }
    }

    private static func corrupt(_ shown: String) -> StoreError {
        .corrupt(path: shown, offset: nil, reason: "a part of a report was not as written")
    }

    /// The fields of ``ReportPartText``, in order.
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
