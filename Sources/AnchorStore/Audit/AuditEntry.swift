import AnchorCore

/// One link of the audit chain: a logged request (including Recovery Events), lifecycle action,
/// schedule step or arrived alert, the hash of the entry before it, and its own hash.
public struct AuditEntry: Hashable, Sendable {
    /// What an entry is about.
    public enum Kind: String, Sendable, CaseIterable {
        /// A request log entry (6.15.1, 6.21 or a Recovery Event).
        case request
        /// An organisation lifecycle log entry.
        case lifecycle
        /// A schedule log entry: a future-dated command acknowledged, cancelled, or its alert processed.
        case schedule
        /// A device alert as it arrived, byte for byte.
        case alert
    }

    /// The journal sequence number of the record that made it.
    public var sequence: UInt64
    /// Which log the entry's record is in.
    public var kind: Kind
    /// The record's position in that log.
    public var position: Int
    /// The previous entry's hash (``AuditHash/genesis`` for the first).
    public var previousHash: AuditHash
    /// SHA-256 over the version tag, sequence, kind, previous hash and the record's canonical JSON.
    public var hash: AuditHash

    /// Creates an entry.
    public init(sequence: UInt64, kind: Kind, position: Int, previousHash: AuditHash, hash: AuditHash) {
        self.sequence = sequence
        self.kind = kind
        self.position = position
        self.previousHash = previousHash
        self.hash = hash
    }
}
