import AnchorCore

/// Checks a store's audit chain across its snapshot and journal, from the files themselves.
///
/// It does not open the store (a store whose checksums fail can still be examined) and takes
/// no lock. It stops at the first entry that was altered, removed, inserted or reordered.
public enum AuditVerifier {
    /// What a successful check found.
    public struct Report: Equatable, Sendable {
        /// Entries checked.
        public var entries: Int
        /// Logged records older than the audit trail (from a store made before it existed).
        public var unaudited: Int
        /// The newest entry, if any: note its hash to detect a later truncation.
        public var head: AuditEntry?
        /// An unfinished last journal record the check left out (a write was interrupted), if any.
        public var tornTail: (offset: Int, length: Int)?

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.entries == rhs.entries && lhs.unaudited == rhs.unaudited && lhs.head == rhs.head
                && lhs.tornTail?.offset == rhs.tornTail?.offset && lhs.tornTail?.length == rhs.tornTail?.length
        }
    }

    /// Verifies the store in a directory.
    /// - Throws: ``AuditFailure`` naming the first bad entry and its byte offset;
    ///   `StoreError` when the files cannot be read at all.
    public static func verify(directory: String) throws -> Report {
        let snapshotPath = Store.path(directory, Store.snapshotName)
        let journalPath = Store.path(directory, Store.journalName)
        guard Store.exists(at: directory) else {
            throw StoreError.noStore(at: directory)
        }
        try StoreTrust.check(directory: directory)
        let snapshot = try SnapshotAuditRows.read(path: snapshotPath)
        var chain = Chain()

        // The snapshot: each entry's link, and its hash recomputed from the log row it names.
        func rowOffset(_ list: [Int], _ index: Int) -> Int {
            index < list.count ? list[index] : snapshot.bodyStart
        }
        // Each entry's hash covers its stored previous hash, so all of them were recomputed at
        // once on every core; the links and positions are checked here in order, so the first
        // problem named is the same as in a one-at-a-time check.
        var firstPosition: [AuditEntry.Kind: Int] = [:]
        var counts: [AuditEntry.Kind: Int] = [:]
        for (index, entry) in snapshot.entries.enumerated() {
            let at = rowOffset(snapshot.auditOffsets, index)
            try chain.checkLink(sequence: entry.sequence, previous: entry.previousHash, path: snapshotPath, offset: at)
            let expectedPosition = (firstPosition[entry.kind] ?? entry.position) + (counts[entry.kind] ?? 0)
            guard entry.position == expectedPosition else {
                throw AuditFailure(sequence: entry.sequence, path: snapshotPath, offset: at,
                                   problem: "names \(entry.kind.rawValue) row \(entry.position) where row \(expectedPosition) was expected (a row was removed or inserted)")
            }
            firstPosition[entry.kind] = firstPosition[entry.kind] ?? entry.position
            counts[entry.kind, default: 0] += 1
            guard entry.position >= 0, entry.position < snapshot.rowCounts[entry.kind] ?? 0 else {
                throw AuditFailure(sequence: entry.sequence, path: snapshotPath, offset: at,
                                   problem: "its \(entry.kind.rawValue) row \(entry.position) is missing")
            }
            try chain.checkHash(entry: entry, matches: snapshot.hashMatches[index], path: snapshotPath,
                                offset: rowOffset(snapshot.rowOffsets[entry.kind] ?? [], entry.position))
        }
        // Every row from the first audited one on has an entry. Lifecycle actions came with the
        // audit trail, and schedule steps and alerts after it, so all of those do; requests older
        // than the trail have none.
        var unaudited = 0
        for kind in AuditEntry.Kind.allCases {
            let rows = snapshot.rowCounts[kind] ?? 0
            let list = snapshot.rowOffsets[kind] ?? []
            let first = firstPosition[kind] ?? (kind == .request ? rows : 0)
            if kind != .request && first > 0 {
                throw AuditFailure(sequence: nil, path: snapshotPath, offset: rowOffset(list, 0),
                                   problem: "\(kind.rawValue) row 0 has no audit entry (added outside AnchorDesk)")
            }
            let audited = counts[kind] ?? 0
            if first + audited < rows {
                throw AuditFailure(sequence: nil, path: snapshotPath, offset: rowOffset(list, first + audited),
                                   problem: "\(kind.rawValue) row \(first + audited) has no audit entry (added outside AnchorDesk)")
            }
            unaudited += first
        }
        if !snapshot.checksumMatches {
            throw AuditFailure(sequence: nil, path: snapshotPath, offset: snapshot.bodyStart,
                               problem: "the snapshot body or log does not match its CRC-32C: bytes outside the audited entries were changed")
        }

        // The journal: records after the snapshot, each with its link and hash.
        var lastSequence = snapshot.lastSequence
        let bytes = try JournalFile.read(path: journalPath)
        let scan: JournalScan
        var damaged: (offset: Int, message: String)?
        do {
            scan = try JournalScanner.scan(bytes, path: journalPath)
        } catch {
            // Check the intact records before the damaged one, then name it.
            let offset = min(error.offset ?? 0, bytes.count)
            damaged = (offset, error.message)
            scan = try JournalScanner.scan(Array(bytes[..<offset]), path: journalPath)
        }
        for record in scan.records {
            let decoded: (sequence: UInt64, content: JournalContent, audit: AuditLink?)
            do {
                decoded = try ChangeRecordCoding.decode(record.payload)
            } catch {
                throw AuditFailure(sequence: lastSequence + 1, path: journalPath, offset: record.offset, problem: "unreadable record: \(error.message)")
            }
            if decoded.sequence <= snapshot.lastSequence { continue }  // already folded into the snapshot
            guard decoded.sequence == lastSequence + 1 else {
                throw AuditFailure(sequence: decoded.sequence, path: journalPath, offset: record.offset,
                                   problem: "follows entry \(lastSequence): an entry was removed or reordered")
            }
            lastSequence = decoded.sequence
            guard let link = decoded.audit else {
                if chain.started {
                    throw AuditFailure(sequence: decoded.sequence, path: journalPath, offset: record.offset, problem: "has no audit link")
                }
                unaudited += 1
                continue
            }
            try chain.checkLink(sequence: decoded.sequence, previous: link.previousHash, path: journalPath, offset: record.offset)
            let (kind, canonical) = AuditChain.entry(for: decoded.content)
            let entry = AuditEntry(sequence: decoded.sequence, kind: kind, position: 0, previousHash: link.previousHash, hash: link.hash)
            let matches = AuditChain.hash(sequence: entry.sequence, kind: kind, previous: link.previousHash, canonical: canonical) == link.hash
            try chain.checkHash(entry: entry, matches: matches, path: journalPath, offset: record.offset)
            chain.head = entry
        }
        if let damaged {
            throw AuditFailure(sequence: lastSequence + 1, path: journalPath, offset: damaged.offset,
                               problem: "the record's bytes were changed (\(damaged.message))")
        }
        if chain.head == nil, let last = snapshot.entries.last { chain.head = last }
        return Report(entries: chain.entries, unaudited: unaudited, head: chain.head,
                      tornTail: scan.tornTail.map { ($0.offset, $0.length) })
    }

    /// The running state of the check.
    private struct Chain {
        var previous = AuditHash.genesis
        var lastSequence: UInt64?
        var entries = 0
        var head: AuditEntry?
        var started: Bool { lastSequence != nil }

        mutating func checkLink(sequence: UInt64, previous link: AuditHash, path: String, offset: Int) throws(AuditFailure) {
            if let lastSequence, sequence != lastSequence + 1 {
                throw AuditFailure(sequence: sequence, path: path, offset: offset,
                                   problem: "follows entry \(lastSequence): an entry was removed or reordered")
            }
            guard link == previous else {
                throw AuditFailure(sequence: sequence, path: path, offset: offset,
                                   problem: "names previous hash \(link), but the entry before it has \(previous): an entry was removed, reordered or altered")
            }
        }

        /// Takes in an entry whose link was checked; `matches`: its hash, recomputed from its record, is the stored one.
        mutating func checkHash(entry: AuditEntry, matches: Bool, path: String, offset: Int) throws(AuditFailure) {
            guard matches else {
                throw AuditFailure(sequence: entry.sequence, path: path, offset: offset,
                                   problem: "its \(entry.kind.rawValue) record does not match its hash: it was altered")
            }
            previous = entry.hash
            lastSequence = entry.sequence
            entries += 1
        }
    }
}
