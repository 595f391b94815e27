import ArgumentParser

/// How a report is printed: `--format table|csv|json` (`--json` means json).
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case csv
    case json

    /// One CSV line (RFC 4180): fields with a comma, quote or line break are quoted.
    static func csvLine(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }
}
