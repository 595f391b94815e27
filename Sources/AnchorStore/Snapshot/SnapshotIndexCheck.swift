#if canImport(Glibc)
import Glibc
#endif

/// `store check`'s look at `snapshot.index`: made again from the snapshot's log and compared
/// word for word with the file, since opening trusts an index that names its log.
public enum SnapshotIndexCheck {
    /// What the check found.
    public enum Finding: Equatable, Sendable {
        /// The index is the one the log gives; it locates this many request and audit rows.
        case matches(requests: Int, audit: Int)
        /// The snapshot predates the log (schema 4 or older): there is nothing to index.
        case notNeeded
        /// There is no index, or it names another log or fails its own checksum: the next open
        /// makes it again, so nothing is wrong.
        case missing, stale
        /// The index names this log and passes its checksum, yet differs from what the log gives.
        case wrong
    }

    /// Checks the index of the store in `directory`.
    /// - Throws: `StoreError` when the snapshot cannot be read, a log row does not read, or
    ///   something other than a file stands where the index goes (no index could be written).
    public static func check(directory: String) throws(StoreError) -> Finding {
        let path = Store.path(directory, Store.snapshotName)
        let indexPath = SnapshotFile.indexPath(besides: path)
        try refuseAnythingButAFile(at: indexPath)
        let snapshot = try FileMapping(path: path, populate: true)
        return try withExtendedLifetime(snapshot) { () throws(StoreError) -> Finding in
            let bytes = snapshot.bytes
            guard let logRange = try SnapshotFile.locate(bytes, path: path).log else { return .notNeeded }
            let log = UnsafeBufferPointer(rebasing: bytes[logRange])
            let checksum = CRC32C.update(0, UnsafeRawBufferPointer(log))
            guard let mapping = try? FileMapping(path: indexPath) else { return .missing }
            guard let index = SnapshotLogIndex.read(mapping, logLength: log.count, logChecksum: checksum) else { return .stale }
            let rows: SnapshotLogIndex.Rows
            do throws(JSONReadError) {
                rows = try SnapshotLogCodec.scan(log)
            } catch {
                throw StoreError.corrupt(path: path, offset: logRange.lowerBound + error.offset, reason: error.message)
            }
            let expected = SnapshotLogIndex(rows: rows, logLength: log.count, logChecksum: checksum)
            return expected.fileBytes == index.fileBytes ? .matches(requests: index.requestCount, audit: index.auditCount) : .wrong
        }
    }

    /// Fails when something other than a regular file stands where an index goes: no index
    /// could be read or written there.
    static func refuseAnythingButAFile(at indexPath: String) throws(StoreError) {
        var info = stat()
        if lstat(indexPath, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw StoreError(code: .corrupt, message: "not a regular file, so the index can be neither read nor written; remove it and the next writer makes it again",
                             path: indexPath)
        }
    }
}
