import AnchorCore
#if canImport(Glibc)
import Glibc
#endif

/// A store directory: a snapshot and a journal guarded by `flock` (the embedded default).
public struct DirectoryStore: StoreBackend {
    public let directory: String

    /// The store in `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    public var shown: String { directory }

    public func exists() -> Bool { Store.exists(at: directory) }

    public func create(with estate: Estate, audit: AuditTrail?, lastSequence: UInt64, replacingExisting: Bool) throws(StoreError) {
        try Store.create(at: directory, with: estate, audit: audit, lastSequence: lastSequence, replacingExisting: replacingExisting)
    }

    public func open(access: Store.Access) throws(StoreError) -> Store {
        try Store.open(at: directory, access: access)
    }

    /// The snapshot's and journal's sizes, times and inodes.
    public func changeToken() -> String {
        [Store.snapshotName, Store.journalName].map { name -> String in
            var info = stat()
            guard stat(Store.path(directory, name), &info) == 0 else { return "-" }
            return "\(info.st_size):\(info.st_mtim.tv_sec):\(info.st_mtim.tv_nsec):\(info.st_ino)"
        }.joined(separator: "|")
    }
}
