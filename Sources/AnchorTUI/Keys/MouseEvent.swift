/// A mouse event the console acts on, at a cell of the screen (0-based column and row).
public struct MouseEvent: Hashable, Sendable {
    /// What happened.
    public enum Kind: Hashable, Sendable {
        /// The left button, once: selects the row under it.
        case click
        /// The left button, twice: opens the row under it.
        case doubleClick
        /// The wheel: scrolls.
        case wheelUp, wheelDown
    }

    /// What happened.
    public var kind: Kind
    /// The column.
    public var x: Int
    /// The row.
    public var y: Int

    /// Creates an event.
    public init(kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
