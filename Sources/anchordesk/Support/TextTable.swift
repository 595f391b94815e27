/// A plain text table with left-aligned columns, for human output.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    /// The table's lines, columns padded to their widest cell.
    func lines() -> [String] {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        return [line(headers)] + rows.map(line)
    }
}
