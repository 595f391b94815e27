#if canImport(Glibc)
import Glibc
#endif

/// A store directory kept as a copy of records held elsewhere (a PostgreSQL store's local
/// copy): it learns new records by appending them to its journal exactly as they were
/// committed, so the copy opens, verifies and exports like any store directory.
///
/// Call these with the directory's ``StoreLock`` held.
public enum StoreCopy {
    /// The last record the directory's files hold (snapshot and journal), or `nil` when there is
    /// no store there or its files cannot be read (the copy is then made again).
    public static func lastSequence(directory: String) -> UInt64? {
        guard Store.exists(at: directory) else { return nil }
        do throws(StoreError) {
            let mapping = try FileMapping(path: Store.path(directory, Store.snapshotName))
            defer { mapping.release(0..<mapping.bytes.count) }
            var last = try SnapshotFile.locate(mapping.bytes, path: directory).header.lastSequence
            let journalPath = Store.path(directory, Store.journalName)
            for record in try JournalScanner.scan(try JournalFile.read(path: journalPath), path: journalPath).records {
                let sequence = try? ChangeRecordCoding.decode(record.payload).sequence
                guard let sequence, sequence <= last + 1 else { return nil }
                last = max(last, sequence)
            }
            return last
        } catch {
            return nil
        }
    }

    /// Starts the copy again from a snapshot's bytes: the snapshot replaced, the journal emptied.
    public static func replace(directory: String, snapshot: [UInt8]) throws(StoreError) {
        try StoreDirectory.create(path: directory)
        let journal = try JournalFile.openForAppend(path: Store.path(directory, Store.journalName))
        defer { journal.close() }
        try journal.truncate(toLength: 0)
        unlink(SnapshotFile.indexPath(besides: Store.path(directory, Store.snapshotName)))
        try AtomicFile.write(snapshot, to: Store.path(directory, Store.snapshotName))
    }

    /// Appends records committed elsewhere, in sequence order, to the copy's journal.
    public static func append(directory: String, records: [[UInt8]]) throws(StoreError) {
        guard !records.isEmpty else { return }
        let journal = try JournalFile.openForAppend(path: Store.path(directory, Store.journalName))
        defer { journal.close() }
        try journal.append(records)
    }
}

extension StoreCopy {
    /// Whether an open's warning is about the snapshot's log index, which a local copy makes
    /// again on its own and no operator needs to hear of.
    public static func isAboutLogIndex(_ warning: String) -> Bool {
        warning.hasPrefix(SnapshotLogIndex.fileName)
    }
}
