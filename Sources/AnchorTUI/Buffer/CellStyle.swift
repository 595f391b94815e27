/// What a colour means, never the colour itself: the backend maps roles to colours, or to
/// nothing when colour is off (`NO_COLOR`, monochrome terminals).
public enum ColourRole: UInt8, Sendable, CaseIterable {
    case normal
    case title
    case accent
    case muted
    case success
    case warning
    case error
}

/// How one cell is drawn. Meaning never rests on colour alone: selection is reverse video
/// plus a marker, rejections carry a word and a glyph.
public struct CellStyle: Hashable, Sendable {
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool
    public var colour: ColourRole

    /// Creates a style.
    public init(bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false,
                colour: ColourRole = .normal) {
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
        self.colour = colour
    }

    /// Plain text.
    public static let plain = CellStyle()
    /// Column headers and section titles.
    public static let heading = CellStyle(bold: true, underline: true)
    /// The title bar and dialog frames.
    public static let bar = CellStyle(reverse: true, colour: .title)
    /// Secondary text.
    public static let muted = CellStyle(dim: true, colour: .muted)
    /// A success.
    public static let success = CellStyle(colour: .success)
    /// A warning; bold so it stands out without colour.
    public static let warning = CellStyle(bold: true, colour: .warning)
    /// An error or a rejection; bold so it stands out without colour.
    public static let error = CellStyle(bold: true, colour: .error)
    /// Emphasis.
    public static let strong = CellStyle(bold: true)
    /// Keys in hints.
    public static let key = CellStyle(bold: true, colour: .accent)

    /// The same style in reverse video (selection).
    public var reversed: CellStyle {
        var copy = self
        copy.reverse.toggle()
        return copy
    }
}
