/// A run of text in one style.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: CellStyle

    /// Creates a span.
    public init(_ text: String, _ style: CellStyle = .plain) {
        self.text = text
        self.style = style
    }
}

/// One line made of spans.
public typealias StyledLine = [Span]

extension CellBuffer {
    /// Draws a styled line from a column, clipped to `width` columns.
    public mutating func draw(_ line: StyledLine, x: Int, y: Int, width columns: Int) {
        var column = x
        for span in line {
            let left = x + columns - column
            guard left > 0 else { break }
            column = write(span.text, x: column, y: y, style: span.style, limit: left)
        }
    }

    /// Draws a box border with a title, and clears its inside.
    public mutating func box(x: Int, y: Int, width columns: Int, height rows: Int, title: String,
                             glyphs: Glyphs, style: CellStyle = .plain, titleStyle: CellStyle = .strong) {
        guard columns >= 4, rows >= 2 else { return }
        fill(x: x, y: y, width: columns, height: rows)
        let unicode = glyphs == .unicode
        let (topLeft, topRight, bottomLeft, bottomRight) = unicode ? ("┌", "┐", "└", "┘") : ("+", "+", "+", "+")
        let horizontal = String(repeating: glyphs.horizontal, count: columns - 2)
        write(topLeft + horizontal + topRight, x: x, y: y, style: style)
        write(bottomLeft + horizontal + bottomRight, x: x, y: y + rows - 1, style: style)
        for row in (y + 1)..<(y + rows - 1) {
            write(glyphs.vertical, x: x, y: row, style: style)
            write(glyphs.vertical, x: x + columns - 1, y: row, style: style)
        }
        write(" " + TextWidth.truncate(title, to: columns - 6, ellipsis: glyphs.ellipsis) + " ",
              x: x + 2, y: y, style: titleStyle)
    }
}

/// Word wrapping for sentences shown in panes.
public enum TextWrap {
    /// Splits text into lines of at most `width` columns, breaking at spaces where it can.
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = String(word)
            while TextWidth.of(word) > width {
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                let head = TextWidth.truncate(word, to: width, ellipsis: "")
                lines.append(head)
                word = String(word.dropFirst(head.count))
            }
            let candidate = current.isEmpty ? word : current + " " + word
            if TextWidth.of(candidate) <= width {
                current = candidate
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
