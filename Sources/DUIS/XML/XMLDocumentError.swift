/// Why an XML document was refused before anything read its content.
public struct XMLDocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong, in one line.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
