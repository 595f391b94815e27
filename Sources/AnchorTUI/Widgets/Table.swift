/// A table column: its header, how wide it may be, and its alignment.
public struct TableColumn: Sendable {
    public var title: String
    /// The narrowest it may get.
    public var minimum: Int
    /// The width it would like.
    public var preferred: Int
    public var alignRight: Bool

    /// Creates a column.
    public init(_ title: String, minimum: Int, preferred: Int? = nil, alignRight: Bool = false) {
        self.title = title
        self.minimum = minimum
        self.preferred = preferred ?? minimum
        self.alignRight = alignRight
    }
}

/// Fits columns into a width and draws header and rows; the first two columns of every row
/// are the selection marker (`> ` on the selected row, which is also in reverse video).
public struct Table: Sendable {
    public var columns: [TableColumn]
    /// The widths chosen for the available width.
    public private(set) var widths: [Int]

    /// Lays out columns in `width` columns (with a two-column marker and one space between columns).
    public init(columns: [TableColumn], width: Int) {
        self.columns = columns
        let available = width - 2 - max(0, columns.count - 1)
        var widths = columns.map(\.minimum)
        var spare = available - widths.reduce(0, +)
        // Grow columns towards their preferred width, one column at a time, left to right.
        var grew = true
        while spare > 0, grew {
            grew = false
            for index in widths.indices where spare > 0 && widths[index] < columns[index].preferred {
                widths[index] += 1
                spare -= 1
                grew = true
            }
        }
        // Whatever is left goes to the last column.
        if spare > 0, !widths.isEmpty { widths[widths.count - 1] += spare }
        self.widths = widths
    }

    /// The x position of each column.
    public var positions: [Int] {
        var x = 2
        return widths.map { width in
            defer { x += width + 1 }
            return x
        }
    }

    /// Draws the header row, marking the sorted column.
    public func drawHeader(into buffer: inout CellBuffer, y: Int, sortedColumn: Int? = nil, sortMark: String = "") {
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: .heading)
        for (index, column) in columns.enumerated() {
            let title = index == sortedColumn ? column.title + sortMark : column.title
            buffer.write(title, x: positions[index], y: y, width: widths[index], style: .heading,
                         alignRight: column.alignRight, ellipsis: "")
        }
    }

    /// Draws the rows of a list that fit below the header at `y`, keeping the cursor's row in view.
    /// - Parameters:
    ///   - count: how many rows the list has.
    ///   - viewport: how many rows fit.
    ///   - cells: the cells of the row at an index.
    /// - Returns: the cursor clamped to the list and the viewport, for what is drawn below.
    @discardableResult
    public func drawRows(
        into buffer: inout CellBuffer, y: Int, count: Int, viewport: Int, cursor: ListCursor, glyphs: Glyphs,
        cells: (Int) -> [Span]
    ) -> ListCursor {
        var cursor = cursor
        cursor.clamp(count: count, viewport: viewport)
        for row in 0..<viewport {
            let index = cursor.offset + row
            guard index < count else { break }
            drawRow(into: &buffer, y: y + 1 + row, cells: cells(index), selected: index == cursor.selected, glyphs: glyphs)
        }
        return cursor
    }

    /// Draws one row of cells.
    public func drawRow(into buffer: inout CellBuffer, y: Int, cells: [Span], selected: Bool, glyphs: Glyphs) {
        let rowStyle: CellStyle = selected ? CellStyle(bold: true, reverse: true) : .plain
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: rowStyle)
        if selected { buffer.write(">", x: 0, y: y, style: rowStyle) }
        for (index, cell) in cells.enumerated() where index < widths.count {
            var style = cell.style
            if selected {
                style.reverse = true
                style.bold = true
            }
            buffer.write(cell.text, x: positions[index], y: y, width: widths[index], style: style,
                         alignRight: columns[index].alignRight, ellipsis: glyphs.ellipsis)
        }
    }
}
