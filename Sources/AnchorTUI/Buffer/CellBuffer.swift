import AnchorCore

/// One terminal cell: a character and its style. A wide character fills its own cell and
/// leaves the next one as a continuation (`character == nil`).
public struct Cell: Hashable, Sendable {
    /// The character drawn here, or `nil` for the right half of a wide character.
    public var character: Character?
    /// How it is drawn.
    public var style: CellStyle

    /// A blank cell.
    public static let blank = Cell(character: " ", style: .plain)
}

/// A screen's worth of cells that views draw into; the backend puts it on the terminal.
///
/// Every string written passes through ``DisplaySafeText/sanitize(_:)`` here, so no data can
/// reach the terminal as a control character or escape sequence, whichever view drew it.
/// With `asciiOnly`, any non-ASCII character is drawn as `?`.
public struct CellBuffer: Equatable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Draw only ASCII.
    public let asciiOnly: Bool
    /// The cells, row by row.
    public private(set) var cells: [Cell]

    /// A blank buffer.
    public init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.asciiOnly = asciiOnly
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cell at a position.
    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes text from a column, clipped at `limit` columns (default: the right edge).
    /// - Returns: the column after the last one written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: CellStyle = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return x }
        let end = min(width, limit.map { x + $0 } ?? width)
        var column = x
        for character in DisplaySafeText.sanitize(text) {
            let shown: Character = asciiOnly && !character.isASCII ? "?" : character
            let characterWidth = TextWidth.of(shown)
            if characterWidth == 0 { continue }
            if column + characterWidth > end { break }
            if column >= 0 {
                set(column, y, Cell(character: shown, style: style))
                if characterWidth == 2 { set(column + 1, y, Cell(character: nil, style: style)) }
            }
            column += characterWidth
        }
        return column
    }

    /// Writes text cut or padded to exactly `width` columns.
    @discardableResult
    public mutating func write(
        _ text: String, x: Int, y: Int, width columns: Int, style: CellStyle = .plain, alignRight: Bool = false,
        ellipsis: String = "…"
    ) -> Int {
        let safe = DisplaySafeText.sanitize(text)
        let shown = asciiOnly ? String(safe.map { $0.isASCII ? $0 : "?" }) : safe
        return write(TextWidth.fit(shown, to: columns, alignRight: alignRight, ellipsis: ellipsis),
                     x: x, y: y, style: style, limit: columns)
    }

    /// Fills a rectangle with spaces in a style.
    public mutating func fill(x: Int, y: Int, width columns: Int, height rows: Int, style: CellStyle = .plain) {
        for row in max(0, y)..<min(height, y + rows) {
            for column in max(0, x)..<max(max(0, x), min(width, x + columns)) {
                set(column, row, Cell(character: " ", style: style))
            }
        }
    }

    /// Changes the style of a row segment, keeping its characters (for selection highlighting).
    public mutating func restyle(x: Int, y: Int, width columns: Int, _ change: (inout CellStyle) -> Void) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + columns)) {
            change(&cells[y * width + column].style)
        }
    }

    /// The text of one row, continuation cells skipped.
    public func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<width {
            if let character = self[x, y].character { text.append(character) }
        }
        return text
    }

    /// Every row's text, trailing spaces removed: what snapshot tests compare.
    public var lines: [String] {
        (0..<height).map { y in
            var text = line(y)
            while text.last == " " { text.removeLast() }
            return text
        }
    }

    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let index = y * width + x
        if cell.character != nil {
            // Overwriting half of a wide character blanks its other half.
            if cells[index].character == nil, x > 0 { cells[index - 1].character = " " }
            if let old = cells[index].character, TextWidth.of(old) == 2, x + 1 < width { cells[index + 1].character = " " }
        }
        cells[index] = cell
    }
}
