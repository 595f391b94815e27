import AnchorCore
import ArgumentParser

/// How a report is printed: `--format table|csv|json` (`--json` means json).
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case csv
    case json

    /// One CSV line (RFC 4180): fields with a comma, quote or line break are quoted, and a field
    /// a spreadsheet would run as a formula is neutralised as OWASP's CSV-injection advice says:
    /// one starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in front
    /// (`=cmd|' /C calc'!A0` is written `'=cmd|' /C calc'!A0`; a spreadsheet shows it as text).
    /// The line is appended to `line` as UTF-8, without its line break. It is made byte by byte
    /// over each field's UTF-8 in place: the bytes that need quoting or neutralising are ASCII,
    /// and millions of report rows go through here.
    static func appendCSVLine(_ fields: [String], to line: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            appendCSVField(field, to: &line)
        }
    }

    /// One field of ``appendCSVLine(_:to:)``, quoted and neutralised as it says, without a comma.
    static func appendCSVField(_ field: String, to line: inout [UInt8]) {
        var field = field
        field.withUTF8 { bytes in
            let formula = bytes.first.map(isFormulaStart) ?? false
            let quoted = ByteScan.containsAny(bytes, of: UInt8(ascii: ","), UInt8(ascii: "\""), 0x0A, 0x0D)
            if quoted { line.append(UInt8(ascii: "\"")) }
            if formula { line.append(UInt8(ascii: "'")) }
            guard quoted else {
                line.append(contentsOf: bytes)
                return
            }
            // Each run up to a quote is copied whole, and the quote doubled; most fields hold none.
            let quote = UInt8(ascii: "\"")
            guard ByteScan.containsAny(bytes, of: quote, quote, quote, quote) else {
                line.append(contentsOf: bytes)
                line.append(quote)
                return
            }
            var rest = bytes[...]
            while let at = rest.firstIndex(of: quote) {
                line.append(contentsOf: UnsafeBufferPointer(rebasing: rest[...at]))
                line.append(quote)
                rest = rest[(at + 1)...]
            }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: rest))
            line.append(quote)
        }
    }

    /// Whether a cell starting with this byte is read as a formula by a spreadsheet (OWASP, CSV Injection).
    private static func isFormulaStart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
        default: false
        }
    }
}
