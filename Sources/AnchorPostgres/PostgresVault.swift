import AnchorStore
import Crypto
import Foundation
import NIOCore
import PostgresNIO

/// The DCC's public files (the store's ``CredentialVault`` folder but its private keys: the
/// certificates) kept in the database, so that every operator's AnchorDesk reads the same
/// Repository. The database's copy is the one that counts: only the administrator writes it,
/// and every machine brings its folder (``VaultFolder``) to it whenever it opens the store.
/// The private keys never enter the database: they stay in the DSP's machine directory (or its
/// PKCS#11 token), and Users' own keys stay with the Users (an operator passes its
/// organisation's with `--keys`).
enum PostgresVault {
    /// The lock file, in a machine's directory, that one process at a time holds to put a
    /// folder in place. It is held for moments (a swap, or a change and its commit), so a
    /// process waits for it at most ten seconds.
    static let lockName = "smki.lock"

    /// Replaces the database's copy with the local folder's public files, inside the caller's transaction.
    static func replace(from directory: String, over session: PostgresSession) throws(StoreError) {
        try session.run("delete from anchordesk.vault_files")
        for (name, bytes) in try VaultFolder(directory: directory).publicFiles() {
            try session.run("insert into anchordesk.vault_files (name, bytes) values (\(name), \(ByteBuffer(bytes: bytes)))")
        }
    }

    /// Brings this machine's folder to the database's copy: when a public file is missing, extra
    /// or different (by SHA-256), the folder is written afresh beside it, with this machine's
    /// private keys as they were, and put in its place. A database that holds no files leaves
    /// the folder as it is.
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
        let local = try folder.publicFiles().map { ($0.name, Array(SHA256.hash(data: $0.bytes))) }
        guard !local.elementsEqual(stored, by: { $0.0 == $1.0 && $0.1 == $1.1 }) else { return }
        try folder.replace(with: storedFiles(over: session), shown: session.location.shown)
    }

    /// Every file the database holds, by name.
    private static func storedFiles(over session: PostgresSession) throws(StoreError) -> [(String, [UInt8])] {
        try session.rows("select name, bytes from anchordesk.vault_files order by name") { row in
            let (name, buffer) = try row.decode((String, ByteBuffer).self)
            return (name, Array(buffer.readableBytesView))
        }
    }

    /// Moves the private keys a database before version 5 holds out of it, into this machine's
    /// folder (``CredentialVault`` `keys/`), inside the caller's transaction and before the
    /// migration deletes them: the folder is made the database's whole copy, then read back and
    /// checked, file by file, against it.
    /// - Returns: how many private files the database held.
    static func moveKeysOut(to directory: String, over session: PostgresSession) throws(StoreError) -> Int {
        try session.run("lock table anchordesk.vault_files in exclusive mode")
        let files = try storedFiles(over: session)
        let keys = files.filter { VaultFolder.isPrivate($0.0) }
        guard !keys.isEmpty else { return 0 }
        try holdingFolder(directory) { () throws(StoreError) in
            let folder = VaultFolder(directory: directory)
            try folder.replaceWhole(with: files, shown: session.location.shown)
            for (name, bytes) in keys where try AtomicFile.read(path: Store.path(folder.path, name)) != bytes {
                throw StoreError(code: .io, message: "the private key \(name) did not read back as written; nothing was deleted from the database",
                                 path: folder.path)
            }
        }
        return keys.count
    }
}

extension PostgresStore {
    /// Puts the local folder's public files (the certificates) into the database as they are
    /// (after `init` or `store copy`, whose folder is the new store's): the administrator's to do.
    /// The private keys stay in the folder.
    public func publishCertificates(lockTimeout: Duration) throws(StoreError) {
        try withVaultLocked(lockTimeout: lockTimeout) { session throws(StoreError) in
            try PostgresVault.replace(from: directory, over: session)
        }
    }

    /// Changes the DCC's keys (`cert import`): the administrator's to do, checked before
    /// anything is changed. Holding the database's copy, then this machine's folder, it brings
    /// the folder to the database's copy (another administrator may have changed it since),
    /// makes the change there, and puts the folder's public files into the database in the same
    /// transaction (a private key it makes stays in the folder); if anything fails, the folder is put back as it was and the database keeps its copy.
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
