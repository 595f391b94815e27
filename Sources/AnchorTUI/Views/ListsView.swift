/// What the reports and the request log share: their filter and sort on the context line and
/// the sorted column's mark in the header.
enum ListsView {
    /// `  filter WORDS  sort COLUMN, direction`, for the parts of the query in use.
    static func queryContext(_ query: ListQuery, titles: [String], ownOrder: String) -> [Span] {
        var spans: [Span] = []
        let words = query.filterText.trimmingSpaces
        if !words.isEmpty { spans += [Span("  filter ", .muted), Span(words, .strong)] }
        let order = query.sortColumn == nil && query.ascending ? ownOrder : query.sortDescription(titles: titles)
        spans += [Span("  sort ", .muted), Span(order)]
        return spans
    }

    /// The header, marking the sorted column.
    static func drawHeader(_ table: Table, _ query: ListQuery, glyphs: Glyphs, into buffer: inout CellBuffer, y: Int) {
        table.drawHeader(into: &buffer, y: y, sortedColumn: query.sortColumn,
                         sortMark: query.ascending ? glyphs.ascending : glyphs.descending)
    }
}
