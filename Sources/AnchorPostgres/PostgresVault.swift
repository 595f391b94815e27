import AnchorStore
import Crypto
import Foundation
import NIOCore
import PostgresNIO

/// The DCC's keys (the store's ``CredentialVault`` folder) kept in the database, so that every
/// operator's AnchorDesk can act as the DSP and run the simulated devices. The database's copy
/// is the one that counts: only the administrator writes it, and every machine brings its
/// folder (``VaultFolder``) to it whenever it opens the store. Users' own keys are never
/// stored: an operator passes its organisation's with `--keys`.
enum PostgresVault {
    /// The lock file, in a machine's directory, that one process at a time holds to put a
    /// folder in place. It is held for moments (a swap, or a change and its commit), so a
    /// process waits for it at most ten seconds.
    static let lockName = "smki.lock"

    /// Replaces the database's copy with the local folder's files, inside the caller's transaction.
    static func replace(from directory: String, over session: PostgresSession) throws(StoreError) {
        try session.run("delete from anchordesk.vault_files")
        for (name, bytes) in try VaultFolder(directory: directory).files() {
            try session.run("insert into anchordesk.vault_files (name, bytes) values (\(name), \(ByteBuffer(bytes: bytes)))")
        }
    }

    /// Brings this machine's folder to the database's copy: when a file is missing, extra or
    /// different (by SHA-256), the folder is written afresh beside it and put in its place. A
    /// database that holds no keys leaves the folder as it is.
    static func bringUpToDate(_ directory: String, over session: PostgresSession) throws(StoreError) {
        try holdingFolder(directory) { () throws(StoreError) in try bringUpToDateHoldingFolder(directory, over: session) }
    }

    /// Runs `body` holding this machine's folder against every other process here that would
    /// put a folder in place, once what a killed one left beside it is gone.
    static func holdingFolder(_ directory: String, _ body: () throws(StoreError) -> Void) throws(StoreError) {
        try StoreDirectory.create(path: directory)
        let lock = try StoreLock.acquire(directory: directory, timeout: .seconds(10), name: lockName)
        defer { lock.release() }
        try VaultFolder(directory: directory).discardLeftovers()
        try body()
    }

    /// ``bringUpToDate(_:over:)`` for a caller already ``holdingFolder(_:_:)``.
    static func bringUpToDateHoldingFolder(_ directory: String, over session: PostgresSession) throws(StoreError) {
        let stored = try session.rows("select name, sha256(bytes) from anchordesk.vault_files order by name") { row in
            let (name, digest) = try row.decode((String, ByteBuffer).self)
            return (name, Array(digest.readableBytesView))
        }
        guard !stored.isEmpty else { return }
        let folder = VaultFolder(directory: directory)
        let local = try folder.files().map { ($0.name, Array(SHA256.hash(data: $0.bytes))) }
        guard !local.elementsEqual(stored, by: { $0.0 == $1.0 && $0.1 == $1.1 }) else { return }
        let files = try session.rows("select name, bytes from anchordesk.vault_files order by name") { row in
            let (name, buffer) = try row.decode((String, ByteBuffer).self)
            return (name, Array(buffer.readableBytesView))
        }
        try folder.replace(with: files, shown: session.location.shown)
    }
}

extension PostgresStore {
    /// Puts the local folder's DCC keys into the database as they are (after `init` or `store
    /// copy`, whose folder is the new store's): the administrator's to do.
    public func publishKeys(lockTimeout: Duration) throws(StoreError) {
        try withVaultLocked(lockTimeout: lockTimeout) { session throws(StoreError) in
            try PostgresVault.replace(from: directory, over: session)
        }
    }

    /// Changes the DCC's keys (`cert import`): the administrator's to do, checked before
    /// anything is changed. Holding the database's copy, then this machine's folder, it brings
    /// the folder to the database's copy (another administrator may have changed it since),
    /// makes the change there, and puts the folder into the database in the same transaction;
    /// if anything fails, the folder is put back as it was and the database keeps its copy.
    public func changeKeys(lockTimeout: Duration, _ change: () throws(StoreError) -> Void) throws(StoreError) {
        let folder = VaultFolder(directory: directory)
        var kept = false
        try withVaultLocked(lockTimeout: lockTimeout, holdingFolder: true) { session throws(StoreError) in
            try PostgresVault.bringUpToDateHoldingFolder(directory, over: session)
            try folder.keep()
            kept = true
            try change()
            try PostgresVault.replace(from: directory, over: session)
        } failed: { failure in
            guard kept else { return failure }
            do throws(StoreError) {
                try folder.restoreKept()
                return failure
            } catch {
                return StoreError(code: failure.code,
                                  message: "\(failure.message); and the keys folder could not be put back (\(error.message)): "
                                      + "the next command brings it from the database, which is unchanged",
                                  path: failure.path)
            }
        }
        folder.forgetKept()
    }

    /// Runs `body` as the administrator in a transaction holding `anchordesk.vault_files`
    /// against every other writer of it (waiting at most `lockTimeout`), and commits if it
    /// returns; with `holdingFolder`, this machine's folder is held too, from the moment the
    /// table is until the commit (so no process here brings the folder back meanwhile). If the
    /// body or the commit fails, `failed` (still holding both) says what to report.
    private func withVaultLocked(lockTimeout: Duration, holdingFolder: Bool = false,
                                 _ body: (PostgresSession) throws(StoreError) -> Void,
                                 failed: (StoreError) -> StoreError = { $0 }) throws(StoreError) {
        try withAdministratorSession(to: "store the DCC's keys") { session throws(StoreError) in
            try session.run("begin")
            do throws(StoreError) {
                try session.run(PostgresQuery(unsafeSQL: "set local lock_timeout = '\(PostgresLockTimeout.milliseconds(lockTimeout))ms'"))
                try session.run("lock table anchordesk.vault_files in exclusive mode")
            } catch {
                try? session.run("rollback")
                guard error.code == .locked else { throw error }
                throw StoreError(code: .locked,
                                 message: "another administrator is changing the DCC's keys; try again, or wait longer with ANCHORDESK_LOCK_TIMEOUT",
                                 path: shown)
            }
            func work() throws(StoreError) {
                do throws(StoreError) {
                    try body(session)
                    try session.run("commit")
                } catch {
                    try? session.run("rollback")
                    throw failed(error)
                }
            }
            if holdingFolder { try PostgresVault.holdingFolder(directory, work) } else { try work() }
        }
    }
}
