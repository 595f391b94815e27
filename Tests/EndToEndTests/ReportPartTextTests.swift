import AnchorCore
@testable import AnchorPostgres
import AnchorStore
import Testing

/// A report's parts as the database writes them in one text (``ReportPartText``): each
/// field's length is in characters, so any Supplier reads back whole, and anything not as
/// written is a corrupt store, not a wrong report.
@Suite struct ReportPartTextTests {
    static func field(_ text: String) -> String { "\(text.unicodeScalars.count):\(text)" }

    @Test func readsUnloggedGPFsAndWholeRowsAndPutsThemInIDOrder() throws {
        let supplier = "héron, \"énergie\" 🔥: 3:4"
        let text = "U" + Self.field("00-DB-12-00-00-00-00-09") + Self.field(supplier)
            + "H" + Self.field("00-DB-12-00-00-00-00-05") + Self.field("GPF") + Self.field("british-gas") + "-" + Self.field("3")
            + "U" + Self.field("00-DB-12-00-00-00-00-02") + Self.field("")
            + "H" + Self.field("00-DB-12-00-00-00-00-01") + Self.field("GPF") + Self.field("é") + Self.field("2023-05-01T00:00:00Z")
            + Self.field("12")
            + "R" + Self.field("00-DB-12-00-00-00-00-03") + Self.field("GPF") + Self.field("eon") + Self.field("2024-01-31T12:00:00Z")
            + Self.field("4")
        let read = try ReportPartText(text, shownAs: "store")
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
        let empty = try ReportPartText("", shownAs: "store")
        #expect(empty.unlogged.isEmpty && empty.rows.isEmpty && empty.lastID == nil)
    }

    @Test(arguments: [
        "X" + field("00-DB-12-00-00-00-00-09"),                          // an unknown kind of device
        "U" + field("00-DB-12-00-00-00-00-09") + "40:short",             // a field longer than the text
        "U" + field("00-DB-12-00-00-00-00-09") + "4x:abcd",              // a length that is not a number
        "U" + field("00-DB-12-00-00-00-00-09") + ":abcd",                // no length
        "U" + field("00-DB-12-00-00-00-00-0Z") + field("eon"),           // not a device ID
        "U" + field("00-DB-12-00-00-00-00-09"),                          // a missing Supplier
        "H" + field("00-DB-12-00-00-00-00-09") + field("GPF") + field("eon") + "-" + field("x"), // a cell set that is not a number
        "U" + field("00-DB-12-00-00-00-00-09") + "3:é",                  // fewer characters than the length says
        "U" + field("00-DB-12-00-00-00-00-09") + "99999999999:x",        // a length too long to be one
    ])
    func anythingNotAsWrittenIsACorruptStore(_ text: String) {
        do {
            _ = try ReportPartText(text, shownAs: "postgresql://store")
            Issue.record("read \(text)")
        } catch {
            #expect(error.code == .corrupt && error.path == "postgresql://store", "\(error)")
            #expect(!error.message.contains("abcd") && !error.message.contains("eon"), "\(error.message)")
        }
    }
}
