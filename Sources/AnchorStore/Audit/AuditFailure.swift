/// The first place the audit chain does not hold: which entry, in which file, at which byte.
public struct AuditFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The sequence number of the first bad entry, when one can be named.
    public var sequence: UInt64?
    /// The file it is in.
    public var path: String
    /// The byte offset in that file.
    public var offset: Int
    /// What is wrong.
    public var problem: String

    /// Creates a failure.
    public init(sequence: UInt64?, path: String, offset: Int, problem: String) {
        self.sequence = sequence
        self.path = path
        self.offset = offset
        self.problem = problem
    }

    public var description: String {
        let entry = sequence.map { "audit entry \($0)" } ?? "the audit trail"
        return "\(entry) (\(path) byte \(offset)): \(problem)"
    }
}
