/// What the operator asked of a report or the request log: the rows holding every word typed
/// (`/`), in the order of one of its columns (`s`, `S`, `1`-`N`).
public struct ListQuery: Hashable, Sendable {
    /// The words typed, as typed; a row shows when each word is part of one of its cells
    /// (ignoring case).
    public var filterText = ""
    /// The column sorted by (from 0); `nil` keeps the list's own order.
    public var sortColumn: Int?
    public var ascending = true

    /// Creates a query showing every row in the list's own order.
    public init(filterText: String = "", sortColumn: Int? = nil, ascending: Bool = true) {
        self.filterText = filterText
        self.sortColumn = sortColumn
        self.ascending = ascending
    }

    /// Whether it shows every row in the list's own order.
    public var isEverything: Bool { words.isEmpty && sortColumn == nil && ascending }

    var words: [Substring] { filterText.lowercased().split(separator: " ") }

    /// The rows shown, in order.
    /// - Parameters:
    ///   - count: how many rows the list has.
    ///   - cells: the text of a row's cells, as its columns show them.
    public func order(count: Int, cells: (Int) -> [String]) -> RowOrder {
        guard !isEverything else { return .all(count) }
        let words = words
        var rows = Array(0..<count)
        if !words.isEmpty {
            rows = rows.filter { row in
                let texts = cells(row).map { $0.lowercased() }
                return words.allSatisfy { word in texts.contains { $0.contains(word) } }
            }
        }
        if let column = sortColumn {
            let keyed = rows.map { row in (SortKey(cells(row)[safe: column] ?? ""), row) }
            rows = keyed.sorted { lhs, rhs in
                lhs.0 != rhs.0 ? (ascending ? lhs.0 < rhs.0 : rhs.0 < lhs.0) : lhs.1 < rhs.1
            }.map(\.1)
        } else if !ascending {
            rows.reverse()
        }
        return .picked(rows)
    }

    /// The query after `s` (the next column, then the list's own order again), `S` (the other
    /// direction) or a digit (that column; the same digit again reverses). `nil`: the digit
    /// names no column.
    func sorted(by action: Action, key: Key, columns: Int) -> ListQuery? {
        var query = self
        switch action {
        case .sortNextColumn:
            let next = (sortColumn ?? -1) + 1
            query.sortColumn = next < columns ? next : nil
            query.ascending = true
        case .reverseSort:
            query.ascending.toggle()
        default:
            guard case .character(let digit) = key, let number = digit.wholeNumberValue, number >= 1, number <= columns else {
                return nil
            }
            query.ascending = sortColumn == number - 1 ? !ascending : true
            query.sortColumn = number - 1
        }
        return query
    }

    /// How the context line and the status line describe the order.
    func sortDescription(titles: [String]) -> String {
        guard let column = sortColumn, column < titles.count else { return ascending ? "own order" : "own order, reversed" }
        return titles[column].lowercased() + (ascending ? ", ascending" : ", descending")
    }
}

/// The rows a list shows: every row in its own order (without holding a position per row, for
/// long lists), or the positions picked by a filter or sort.
public enum RowOrder: Hashable, Sendable {
    case all(Int)
    case picked([Int])

    /// How many rows are shown.
    public var count: Int {
        switch self {
        case .all(let count): count
        case .picked(let rows): rows.count
        }
    }

    /// The list's own row shown at a position, if there is one.
    public subscript(position: Int) -> Int? {
        guard position >= 0, position < count else { return nil }
        switch self {
        case .all: return position
        case .picked(let rows): return rows[position]
        }
    }

    /// The positions whose rows satisfy a condition, from `start` onwards (wrapping once).
    func firstPosition(from start: Int, forward: Bool, where condition: (Int) -> Bool) -> Int? {
        let count = count
        guard count > 0 else { return nil }
        for step in 1...count {
            let position = ((start + (forward ? step : -step)) % count + count) % count
            if let row = self[position], condition(row) { return position }
        }
        return nil
    }
}

/// Orders cells as people read them: numbers by value (counters are decimal strings of up to
/// 20 digits, so by length then digits), everything else as text.
private struct SortKey: Comparable {
    var text: String
    var isNumber: Bool

    init(_ text: String) {
        self.text = text
        isNumber = !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func < (lhs: SortKey, rhs: SortKey) -> Bool {
        switch (lhs.isNumber, rhs.isNumber) {
        case (true, true): lhs.text.count != rhs.text.count ? lhs.text.count < rhs.text.count : lhs.text < rhs.text
        case (true, false): true
        case (false, true): false
        case (false, false): lhs.text < rhs.text
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
