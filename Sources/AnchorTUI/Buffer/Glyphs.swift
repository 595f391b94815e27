/// The non-ASCII symbols the console draws, with ASCII stand-ins for terminals whose locale
/// is not UTF-8.
public struct Glyphs: Sendable, Equatable {
    public var breadcrumb: String
    public var ellipsis: String
    public var ascending: String
    public var descending: String
    public var succeeded: String
    public var rejected: String
    public var horizontal: String
    public var vertical: String
    public var arrow: String
    public var greaterOrEqual: String
    public var middleDot: String
    /// A full block for horizontal bars.
    public var bar: String

    /// Unicode symbols.
    public static let unicode = Glyphs(
        breadcrumb: " › ", ellipsis: "…", ascending: "▲", descending: "▼", succeeded: "✓", rejected: "✗",
        horizontal: "─", vertical: "│", arrow: "→", greaterOrEqual: "≥", middleDot: "·",
        bar: "█")

    /// Plain ASCII.
    public static let ascii = Glyphs(
        breadcrumb: " > ", ellipsis: "~", ascending: "^", descending: "v", succeeded: "+", rejected: "X",
        horizontal: "-", vertical: "|", arrow: "->", greaterOrEqual: ">=", middleDot: "-",
        bar: "#")
}

/// How the console looks on this terminal.
public struct Appearance: Sendable, Equatable {
    /// Draw Unicode symbols (the locale is UTF-8); otherwise ASCII only.
    public var unicode: Bool
    /// Use colour (the terminal has it and `NO_COLOR` is not set).
    public var colour: Bool

    /// Creates an appearance.
    public init(unicode: Bool = true, colour: Bool = true) {
        self.unicode = unicode
        self.colour = colour
    }

    /// The symbols to draw.
    public var glyphs: Glyphs { unicode ? .unicode : .ascii }
}
