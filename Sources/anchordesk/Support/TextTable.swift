/// A plain-text table with columns padded to their widest cell.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    /// Each column's width: its widest cell or header.
    private var widths: [Int] {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return widths
    }

    /// The length of the table's longest line.
    var width: Int {
        widths.reduce(0, +) + 2 * max(0, headers.count - 1)
    }

    /// The table's lines, columns padded to their widest cell.
    func lines() -> [String] {
        let widths = widths
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        return [line(headers)] + rows.map(line)
    }

    /// The table with whole columns left out, in the order `dropOrder` names them (by header),
    /// until its lines fit in `columns` or none of those is left: no value is ever cut short.
    /// Returns the headers left out, in that order.
    mutating func fit(in columns: Int, dropOrder: [String]) -> [String] {
        var dropped: [String] = []
        for header in dropOrder where width > columns {
            guard let index = headers.firstIndex(of: header) else { continue }
            headers.remove(at: index)
            for row in rows.indices where index < rows[row].count { rows[row].remove(at: index) }
            dropped.append(header)
        }
        return dropped
    }
}
