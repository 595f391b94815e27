import AnchorCore
import AnchorStore
import NIOCore
import PostgresNIO

/// A PostgreSQL store's organisations and certificates, read once from the head of its
/// snapshot (``LedgerHead``) with the snapshot's lifecycle log (`anchordesk.snapshot_lifecycle`),
/// and then kept up to date with the lifecycle records committed since.
struct PostgresLedgerHead {
    /// The organisations, certificates and lifecycle log; `nil` until first read.
    private(set) var head: LedgerHead?
    private var storeID = ""
    private var generation: Int64 = 0
    /// The last record it has seen: nothing in the store has changed while this stays the same.
    private(set) var seenSequence: UInt64 = 0

    /// Brings it up to date with the database.
    /// - Returns: whether it was read afresh, for another store made in the database (`init --force`).
    @discardableResult
    mutating func refresh(_ session: PostgresSession, shown: String) throws(StoreError) -> Bool {
        let current = try PostgresHead.read(session)
        var afresh = false
        if head == nil || storeID != current.storeID || generation != current.snapshotGeneration {
            head = try Self.read(generation: current.snapshotGeneration, session: session, shown: shown)
            let lifecycle = try session.rows("select record from anchordesk.snapshot_lifecycle order by position") { try $0.decode(String.self) }
            try head!.insertSnapshotLifecycle(rows: lifecycle, shownAs: shown)
            storeID = current.storeID
            generation = current.snapshotGeneration
            seenSequence = current.snapshotSequence
            afresh = true
        }
        guard current.lastSequence > seenSequence else { return afresh }
        let records = try session.rows("""
            select payload from anchordesk.changes
            where kind = 'lifecycle' and sequence > \(String(seenSequence))::numeric order by sequence
            """) { try $0.decode(String.self) }
        for payload in records { try head!.apply(record: Array(payload.utf8), shownAs: shown) }
        seenSequence = current.lastSequence
        return afresh
    }

    /// `ledger` with every organisation's last counter as `anchordesk.organisation_counters`
    /// holds it, or as the caller read it from the rows it locked (`locked`, newer).
    static func withLastCounters(_ ledger: Ledger, over session: PostgresSession, locked: [String: String] = [:]) throws(StoreError) -> Ledger {
        var counters = Dictionary(uniqueKeysWithValues: try session.rows("select organisation, last_counter::text from anchordesk.organisation_counters") {
            try $0.decode((String, String).self)
        })
        counters.merge(locked) { _, locked in locked }
        var ledger = ledger
        for (organisation, text) in counters {
            guard let value = UInt64(text) else { continue }
            ledger = ledger.assuming(lastCounter: OriginatorCounter(value), of: organisation)
        }
        return ledger
    }

    /// The organisations and certificates from the head of the snapshot: its first megabyte,
    /// or its whole first part when they run past that.
    private static func read(generation: Int64, session: PostgresSession, shown: String) throws(StoreError) -> LedgerHead {
        func bytes(_ length: Int) throws(StoreError) -> [UInt8] {
            let buffer = try session.value(
                "select substring(bytes from 1 for \(length)::integer) from anchordesk.snapshot_parts where generation = \(generation) and part = 0",
                as: ByteBuffer.self)
            return buffer.map { Array($0.readableBytesView) } ?? []
        }
        do {
            return try LedgerHead(snapshotHead: try bytes(1 << 20), shownAs: shown)
        } catch {
            return try LedgerHead(snapshotHead: try bytes(PostgresSnapshot.partSize), shownAs: shown)
        }
    }
}
