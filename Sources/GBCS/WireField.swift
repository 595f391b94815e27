/// One field of a decoded message: where it sits, its bytes and what they mean.
public struct WireField: Equatable, Sendable {
    /// The field's name, indented by nesting depth with leading spaces.
    public var name: String
    /// Its offset from the start of the message.
    public var offset: Int
    /// Its bytes (for a constructed ASN.1 value, only its tag and length).
    public var bytes: [UInt8]
    /// What the bytes say, in words (may be empty).
    public var meaning: String

    /// Creates a field.
    public init(name: String, offset: Int, bytes: [UInt8], meaning: String = "") {
        self.name = name
        self.offset = offset
        self.bytes = bytes
        self.meaning = meaning
    }
}
