import AnchorCore

/// The audit chain, oldest first: entries kept in the snapshot's log (read when asked for)
/// followed by the entries made since, held in memory.
public struct AuditTrail: RandomAccessCollection, Sendable, Equatable {
    private var stored: SnapshotLog?
    private var storedCount: Int
    private var recent: [AuditEntry]

    /// A chain held wholly in memory.
    init(_ entries: [AuditEntry] = []) {
        stored = nil
        storedCount = 0
        recent = entries
    }

    /// A chain whose entries are all in a snapshot's log.
    init(stored: SnapshotLog) {
        self.stored = stored
        storedCount = stored.auditCount
        recent = []
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storedCount + recent.count }

    public subscript(position: Int) -> AuditEntry {
        if position < storedCount, let stored { return stored.auditEntry(at: position) }
        return recent[position - storedCount]
    }

    /// The snapshot log holding the older entries, and the entries after them.
    var parts: (stored: SnapshotLog?, recent: [AuditEntry]) { (stored, recent) }

    /// Adds an entry at the end.
    mutating func append(_ entry: AuditEntry) {
        recent.append(entry)
    }

    /// The same entries, now read from `stored`, which must hold exactly them.
    mutating func keep(in stored: SnapshotLog) {
        precondition(stored.auditCount == count, "the stored entries must be the chain's entries")
        self = AuditTrail(stored: stored)
    }

    public static func == (lhs: AuditTrail, rhs: AuditTrail) -> Bool {
        lhs.count == rhs.count && lhs.elementsEqual(rhs)
    }
}
