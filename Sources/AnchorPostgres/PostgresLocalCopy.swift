import AnchorStore
import Foundation
import PostgresNIO

/// This machine's copy of a PostgreSQL store's records: a store directory whose journal gains
/// the database's records, byte for byte, in order. It is brought up to date before every
/// open, so reading (the console, reports, audit) never replays the whole database, and it is
/// made again from the database's snapshot when it is missing, damaged, from another store, or
/// ahead of the database (restored from a backup).
struct PostgresLocalCopy {
    /// The store directory.
    let directory: String
    /// The file naming which database store the copy is of.
    static let markerName = "postgresql-store-id"

    /// Starts the copy again from a snapshot.
    func restart(storeID: String, snapshot: [UInt8]) throws(StoreError) {
        try StoreDirectory.create(path: directory)
        let lock = try StoreLock.acquire(directory: directory, timeout: .seconds(10))
        defer { lock.release() }
        try replace(storeID: storeID, snapshot: snapshot)
    }

    /// Replaces the copy's files with a snapshot and names the store it is of (the lock held).
    private func replace(storeID: String, snapshot: [UInt8]) throws(StoreError) {
        try StoreCopy.replace(directory: directory, snapshot: snapshot)
        try AtomicFile.write(Array(storeID.utf8), to: Store.path(directory, Self.markerName))
    }

    /// Appends the records the copy lacks.
    /// - Parameters:
    ///   - lockTimeout: how long to wait for the directory's lock (another process on this machine).
    ///   - required: a writer must have its copy current; a reader that cannot take the lock
    ///     opens the copy as it is (a writer on this machine keeps it current as it commits).
    ///   - keys: whether the DCC's keys come too: a scratch copy made only to be checked or
    ///     read once (`audit verify`, `store check`, `store migrate`) has no use for them.
    func bringUpToDate(from session: PostgresSession, lockTimeout: Duration, required: Bool, keys: Bool = true) throws(StoreError) {
        let head = try PostgresHead.read(session)
        try StoreDirectory.create(path: directory)
        let lock: StoreLock
        do {
            lock = try StoreLock.acquire(directory: directory, timeout: lockTimeout)
        } catch where !required && error.code == .locked && Store.exists(at: directory) {
            return
        }
        defer { lock.release() }
        let marker = (try? AtomicFile.read(path: Store.path(directory, Self.markerName))).map { String(decoding: $0, as: UTF8.self) }
        var last = marker == head.storeID ? StoreCopy.lastSequence(directory: directory) : nil
        if last == nil || last! > head.lastSequence {
            try replace(storeID: head.storeID, snapshot: try PostgresSnapshot.download(generation: head.snapshotGeneration, over: session))
            last = head.snapshotSequence
        }
        if keys { try PostgresVault.bringUpToDate(directory, over: session) }
        let directory = directory
        try session.stream("select payload from anchordesk.changes where sequence > \(String(last!))::numeric order by sequence", batch: 4096) { rows in
            try StoreCopy.append(directory: directory, records: try rows.map { Array(try $0.decode(String.self).utf8) })
        }
    }
}

/// The database's head row: which store it is, its last record, and its snapshot.
struct PostgresHead: Sendable {
    var storeID: String
    var lastSequence: UInt64
    var snapshotGeneration: Int64
    var snapshotSequence: UInt64

    static func read(_ session: PostgresSession) throws(StoreError) -> PostgresHead {
        let rows = try session.rows(
            "select store_id, last_sequence::text, snapshot_generation, snapshot_sequence::text from anchordesk.head"
        ) { row in
            let (id, last, generation, snapshot) = try row.decode((String, String, Int64, String).self)
            return PostgresHead(storeID: id, lastSequence: UInt64(last) ?? 0, snapshotGeneration: generation,
                                snapshotSequence: UInt64(snapshot) ?? 0)
        }
        guard let head = rows.first else {
            throw StoreError(code: .corrupt, message: "the database's anchordesk.head row is missing", path: session.location.shown)
        }
        return head
    }
}
