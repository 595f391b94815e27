/// Why a JSON document could not be read, and where.
struct JSONReadError: Error, Equatable, CustomStringConvertible {
    /// The byte offset of the problem within the bytes given to the reader.
    var offset: Int
    /// What was wrong there.
    var message: String

    var description: String { "\(message) at byte \(offset)" }
}
