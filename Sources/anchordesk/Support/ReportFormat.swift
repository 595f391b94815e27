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
    static func csvLine(_ fields: [String]) -> String {
        // Byte by byte: the bytes that need quoting or neutralising are ASCII, so UTF-8 is
        // searched as it is (millions of report rows go through here).
        var line: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            let bytes = field.utf8
            let prefix: [UInt8] = bytes.first.map(formulaStarts.contains) == true ? [UInt8(ascii: "'")] : []
            guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
                line.append(contentsOf: prefix)
                line.append(contentsOf: bytes)
                continue
            }
            line.append(UInt8(ascii: "\""))
            line.append(contentsOf: prefix)
            for byte in bytes {
                line.append(byte)
                if byte == UInt8(ascii: "\"") { line.append(byte) }
            }
            line.append(UInt8(ascii: "\""))
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// The first bytes that make a spreadsheet read a cell as a formula (OWASP, CSV Injection).
    private static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]
}
