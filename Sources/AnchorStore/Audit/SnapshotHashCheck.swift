import AnchorCore
import Foundation

/// Recomputes the hashes of a snapshot's audit entries on every core: each entry's hash covers
/// its sequence, kind, stored previous hash and the canonical JSON of the row it names, so the
/// entries are independent of one another here (the links between them are checked in order by
/// ``AuditVerifier``).
enum SnapshotHashCheck {
    /// For each entry, whether its stored hash is the one its row gives; `false` where the row is missing.
    static func matches(_ entries: [AuditEntry], in ledger: Ledger) -> [Bool] {
        guard !entries.isEmpty else { return [] }
        let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, entries.count / 1_000))
        let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: entries.count)
        results.initialize(repeating: false)
        defer { results.deallocate() }
        let slots = Slots(results)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (entries.count * chunk / chunks)..<(entries.count * (chunk + 1) / chunks)
            for index in range {
                let entry = entries[index]
                guard let canonical = AuditChain.canonical(entry.kind, position: entry.position, in: ledger) else { continue }
                slots.set(index, AuditChain.hash(sequence: entry.sequence, kind: entry.kind, previous: entry.previousHash,
                                                 canonical: canonical) == entry.hash)
            }
        }
        return Array(results)
    }

    /// The result buffer, each slot written by the one chunk that owns it.
    private struct Slots: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Bool>
        init(_ buffer: UnsafeMutableBufferPointer<Bool>) { self.buffer = buffer }
        func set(_ index: Int, _ value: Bool) { buffer[index] = value }
    }
}
