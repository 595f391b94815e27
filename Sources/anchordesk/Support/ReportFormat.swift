import ArgumentParser

/// How a report is printed: `--format table|csv|json` (`--json` means json).
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case csv
    case json

    /// One CSV line (RFC 4180): fields with a comma, quote or line break are quoted.
    static func csvLine(_ fields: [String]) -> String {
        // Byte by byte: the four bytes that need quoting are ASCII, so UTF-8 is searched as it is
        // (millions of report rows go through here).
        var line: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            let bytes = field.utf8
            guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
                line.append(contentsOf: bytes)
                continue
            }
            line.append(UInt8(ascii: "\""))
            for byte in bytes {
                line.append(byte)
                if byte == UInt8(ascii: "\"") { line.append(byte) }
            }
            line.append(UInt8(ascii: "\""))
        }
        return String(decoding: line, as: UTF8.self)
    }
}
