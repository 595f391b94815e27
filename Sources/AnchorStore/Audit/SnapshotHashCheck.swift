import AnchorCore
import Foundation

/// Recomputes the hashes of a snapshot's audit entries on every core: each entry's hash covers
/// its sequence, kind, stored previous hash and the canonical JSON of the row it names, so the
/// entries are independent of one another here (the links between them are checked in order by
/// ``AuditVerifier``).
enum SnapshotHashCheck {
    /// For each entry, whether its stored hash is the one its row gives; `false` where the row is missing.
    static func matches(_ entries: AuditTrail, in ledger: Ledger) -> [Bool] {
        concurrentMap(count: entries.count, workers: ProcessInfo.processInfo.activeProcessorCount) { index in
            let entry = entries[index]
            guard let canonical = AuditChain.canonical(entry.kind, position: entry.position, in: ledger) else { return false }
            return AuditChain.hash(sequence: entry.sequence, kind: entry.kind, previous: entry.previousHash, canonical: canonical) == entry.hash
        }
    }
}
