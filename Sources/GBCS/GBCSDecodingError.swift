/// Why bytes could not be read as a GBCS message: what was expected, and at which byte.
public struct GBCSDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The offset, from the start of the message, of the byte that could not be read.
    public var offset: Int
    /// What was wrong there, in words an operator can act on.
    public var reason: String

    /// Creates an error at an offset.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) (at byte \(offset))" }
}
