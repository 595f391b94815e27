import AnchorCore
@testable import AnchorPostgres
import AnchorStore
import NIOCore
import Testing

/// A report's parts as the database writes them (``ReportPartText``): rows as one text, each
/// field's length in characters, so any Supplier reads back whole; counter-risk's unlogged GPFs
/// as their IDs one after another and their Suppliers as a binary `text[]` (``BinaryTextArray``).
/// Anything not as written is a corrupt store, not a wrong report.
@Suite struct ReportPartTextTests {
    static func field(_ text: String) -> String { "\(text.unicodeScalars.count):\(text)" }

    @Test func readsUnloggedGPFsAndWholeRowsAndPutsThemInIDOrder() throws {
        let supplier = "héron, \"énergie\" 🔥: 3:4"
        let text = "H" + Self.field("00-DB-12-00-00-00-00-05") + Self.field("GPF") + Self.field("british-gas") + "-" + Self.field("3")
            + "H" + Self.field("00-DB-12-00-00-00-00-01") + Self.field("GPF") + Self.field("é") + Self.field("2023-05-01T00:00:00Z")
            + Self.field("12")
            + "R" + Self.field("00-DB-12-00-00-00-00-03") + Self.field("GPF") + Self.field("eon") + Self.field("2024-01-31T12:00:00Z")
            + Self.field("4")
        let read = try ReportPartText(text, unloggedIDs: "00-DB-12-00-00-00-00-0900-DB-12-00-00-00-00-02",
                                      unloggedSuppliers: [supplier, ""], shownAs: "store")
        #expect(read.unlogged == [
            CounterRiskReport.UnloggedGPF(device: EUI64(rawValue: 0x00DB_1200_0000_0002), supplier: ""),
            CounterRiskReport.UnloggedGPF(device: EUI64(rawValue: 0x00DB_1200_0000_0009), supplier: supplier),
        ])
        #expect(read.rows.map(\.row.id) == ["00-DB-12-00-00-00-00-01", "00-DB-12-00-00-00-00-03", "00-DB-12-00-00-00-00-05"])
        #expect(read.rows.map(\.logged) == [true, false, true])
        #expect(read.rows.map(\.row.supplier) == ["é", "eon", "british-gas"])
        #expect(read.rows.map(\.row.commissionedAt) == ["2023-05-01T00:00:00Z", "2024-01-31T12:00:00Z", nil])
        #expect(read.rows.map(\.row.cellSet) == [12, 4, 3])
        #expect(read.lastID == "00-DB-12-00-00-00-00-09")
        let rowsLast = try ReportPartText(text, unloggedIDs: "00-DB-12-00-00-00-00-02", unloggedSuppliers: ["eon"], shownAs: "store")
        #expect(rowsLast.lastID == "00-DB-12-00-00-00-00-05")
        let empty = try ReportPartText("", shownAs: "store")
        #expect(empty.unlogged.isEmpty && empty.rows.isEmpty && empty.lastID == nil)
    }

    @Test(arguments: [
        "X" + field("00-DB-12-00-00-00-00-09"),                                                   // an unknown kind of device
        "U" + field("00-DB-12-00-00-00-00-09") + field("eon"),                                    // an unlogged GPF among rows
        "H" + field("00-DB-12-00-00-00-00-09") + field("GPF") + "40:short",                       // a field longer than the text
        "H" + field("00-DB-12-00-00-00-00-09") + field("GPF") + "4x:abcd",                        // a length that is not a number
        "H" + field("00-DB-12-00-00-00-00-09") + field("GPF") + ":abcd",                          // no length
        "H" + field("00-DB-12-00-00-00-00-09") + field("GPF") + field("eon") + "-",               // a missing cell set
        "H" + field("00-DB-12-00-00-00-00-09") + field("GPF") + field("eon") + "-" + field("x"),  // a cell set that is not a number
        "H" + field("00-DB-12-00-00-00-00-09") + field("GPF") + "3:é",                            // fewer characters than the length says
        "H" + field("00-DB-12-00-00-00-00-09") + "99999999999:x",                                 // a length too long to be one
    ])
    func rowsNotAsWrittenAreACorruptStore(_ text: String) {
        Self.expectCorrupt { () throws(StoreError) in _ = try ReportPartText(text, shownAs: "postgresql://store") }
    }

    @Test(arguments: [
        ("00-DB-12-00-00-00-00-09", [String]()),                                     // an ID without a Supplier
        ("00-DB-12-00-00-00-00-09", ["abcd", "eon"]),                                // a Supplier without an ID
        ("00-DB-12-00-00-00-00-0900-DB-12-00-00-00-00-0", ["abcd", "eon"]),          // an ID a character short
        ("00-DB-12-00-00-00-00-0Z", ["abcd"]),                                       // not a device ID
    ])
    func unloggedGPFsNotAsWrittenAreACorruptStore(_ ids: String, _ suppliers: [String]) {
        Self.expectCorrupt { () throws(StoreError) in
            _ = try ReportPartText("", unloggedIDs: ids, unloggedSuppliers: suppliers, shownAs: "postgresql://store")
        }
    }

    static func expectCorrupt(_ read: () throws(StoreError) -> Void) {
        do {
            try read()
            Issue.record("read what was not as written")
        } catch {
            #expect(error.code == .corrupt && error.path == "postgresql://store", "\(error)")
            #expect(!error.message.contains("abcd") && !error.message.contains("eon"), "\(error.message)")
        }
    }

    /// A binary `text[]` as PostgreSQL sends it: dimensions, NULL flag, element type, each
    /// dimension's length and lower bound, then each element's length and bytes.
    static func array(_ elements: [String?], dimensions: Int32 = 1, type: UInt32 = 25, trailing: [UInt8] = []) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(dimensions)
        buffer.writeInteger(Int32(elements.contains(nil) ? 1 : 0))
        buffer.writeInteger(type)
        if dimensions > 0 {
            buffer.writeInteger(Int32(elements.count))
            buffer.writeInteger(Int32(1))
        }
        for element in elements {
            if let element {
                buffer.writeInteger(Int32(element.utf8.count))
                buffer.writeString(element)
            } else {
                buffer.writeInteger(Int32(-1))
            }
        }
        buffer.writeBytes(trailing)
        return buffer
    }

    @Test func aBinaryTextArrayReadsBackWholeAndAnythingElseIsRefused() {
        let suppliers = ["héron, \"énergie\" 🔥", "", "eon\r\n"]
        #expect(BinaryTextArray.strings(Self.array(suppliers)) == suppliers)
        #expect(BinaryTextArray.strings(Self.array([], dimensions: 0)) == [])
        #expect(BinaryTextArray.strings(Self.array(["eon", nil])) == nil, "a NULL element")
        #expect(BinaryTextArray.strings(Self.array(["eon"], type: 23)) == nil, "integers, not text")
        #expect(BinaryTextArray.strings(Self.array(["eon"], dimensions: 2)) == nil, "two dimensions")
        #expect(BinaryTextArray.strings(Self.array(["eon"], trailing: [0])) == nil, "bytes after the last element")
        var short = Self.array(["eon"])
        short.moveWriterIndex(to: short.writerIndex - 1)
        #expect(BinaryTextArray.strings(short) == nil, "an element cut short")
        #expect(BinaryTextArray.strings(ByteBuffer(bytes: [0, 0])) == nil, "no header")
    }
}
