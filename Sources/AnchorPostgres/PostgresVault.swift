import AnchorStore
import Crypto
import Foundation
import NIOCore
import PostgresNIO

/// The DCC's keys (the store's ``CredentialVault`` folder) kept in the database, so that every
/// operator's AnchorDesk can act as the DSP and run the simulated devices. The database's copy
/// is the one that counts: only the administrator writes it, and every machine brings its
/// folder to it whenever it opens the store. Users' own keys are never stored: an operator
/// passes its organisation's with `--keys`.
enum PostgresVault {
    /// The lock file, in a machine's directory, that one process at a time holds to put a
    /// folder in place.
    static let lockName = "smki.lock"

    /// Replaces the database's copy with the local folder's files, inside the caller's transaction.
    static func replace(from directory: String, over session: PostgresSession) throws(StoreError) {
        try session.run("delete from anchordesk.vault_files")
        for (name, bytes) in try localFiles(directory) {
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
    /// put a folder in place.
    static func holdingFolder(_ directory: String, _ body: () throws(StoreError) -> Void) throws(StoreError) {
        try StoreDirectory.create(path: directory)
        let lock = try StoreLock.acquire(directory: directory, timeout: .seconds(10), name: lockName)
        defer { lock.release() }
        try body()
    }

    /// ``bringUpToDate(_:over:)`` for a caller already ``holdingFolder(_:_:)``.
    static func bringUpToDateHoldingFolder(_ directory: String, over session: PostgresSession) throws(StoreError) {
        let stored = try session.rows("select name, sha256(bytes) from anchordesk.vault_files order by name") { row in
            let (name, digest) = try row.decode((String, ByteBuffer).self)
            return (name, Array(digest.readableBytesView))
        }
        guard !stored.isEmpty else { return }
        let local = try localFiles(directory).map { ($0.name, Array(SHA256.hash(data: $0.bytes))) }
        guard !local.elementsEqual(stored, by: { $0.0 == $1.0 && $0.1 == $1.1 }) else { return }
        let files = try session.rows("select name, bytes from anchordesk.vault_files order by name") { row in
            let (name, buffer) = try row.decode((String, ByteBuffer).self)
            return (name, Array(buffer.readableBytesView))
        }
        try put(files, into: directory, shown: session.location.shown)
    }

    /// The folder's files but the machine's own record of the demo Users' keys, by name, sorted.
    private static func localFiles(_ directory: String) throws(StoreError) -> [(name: String, bytes: [UInt8])] {
        let folder = Store.path(directory, CredentialVault.folderName)
        let names = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        var files: [(name: String, bytes: [UInt8])] = []
        for name in names.sorted() where name != CredentialVault.demoUserKeysRecordName {
            var isDirectory: ObjCBool = false
            let path = Store.path(folder, name)
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files.append((name, try AtomicFile.read(path: path)))
        }
        return files
    }

    /// Writes `files` as the folder: beside it first, then in its place, keeping the machine's
    /// record of the demo Users' keys.
    private static func put(_ files: [(String, [UInt8])], into directory: String, shown: String) throws(StoreError) {
        let folder = Store.path(directory, CredentialVault.folderName)
        let staging = folder + ".incoming"
        let previous = folder + ".previous"
        let manager = FileManager.default
        try? manager.removeItem(atPath: staging)
        try? manager.removeItem(atPath: previous)
        try StoreDirectory.create(path: staging)
        for (name, bytes) in files {
            guard !name.split(separator: "/").contains(".."), !name.hasPrefix("/") else {
                throw StoreError(code: .corrupt, message: "the database's key folder names a file outside it", path: shown)
            }
            let path = Store.path(staging, name)
            try StoreDirectory.create(path: (path as NSString).deletingLastPathComponent)
            try AtomicFile.write(bytes, to: path)
        }
        let record = Store.path(folder, CredentialVault.demoUserKeysRecordName)
        if let bytes = try? AtomicFile.read(path: record) {
            try AtomicFile.write(bytes, to: Store.path(staging, CredentialVault.demoUserKeysRecordName))
        }
        do {
            if manager.fileExists(atPath: folder) { try manager.moveItem(atPath: folder, toPath: previous) }
            try manager.moveItem(atPath: staging, toPath: folder)
        } catch {
            throw StoreError(code: .io, message: "could not put the DCC's keys in place", path: folder)
        }
        try? manager.removeItem(atPath: previous)
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
    /// anything is changed. Holding the database's copy and this machine's folder, it brings
    /// the folder to the database's copy (another administrator may have changed it since),
    /// makes the change there, and puts the folder into the database in the same transaction;
    /// if anything fails, the folder is put back as it was and the database keeps its copy.
    public func changeKeys(lockTimeout: Duration, _ change: () throws(StoreError) -> Void) throws(StoreError) {
        let folder = Store.path(directory, CredentialVault.folderName)
        let before = folder + ".before-change"
        let manager = FileManager.default
        try PostgresVault.holdingFolder(directory) { () throws(StoreError) in
            var kept = false
            do throws(StoreError) {
                try withVaultLocked(lockTimeout: lockTimeout) { session throws(StoreError) in
                    try PostgresVault.bringUpToDateHoldingFolder(directory, over: session)
                    try StoreDirectory.create(path: folder)
                    try? manager.removeItem(atPath: before)
                    do {
                        try manager.copyItem(atPath: folder, toPath: before)
                    } catch {
                        throw StoreError(code: .io, message: "could not keep a copy of the DCC's keys before changing them", path: folder)
                    }
                    kept = true
                    try change()
                    try PostgresVault.replace(from: directory, over: session)
                }
            } catch {
                if kept {
                    try? manager.removeItem(atPath: folder)
                    try? manager.moveItem(atPath: before, toPath: folder)
                }
                throw error
            }
            try? manager.removeItem(atPath: before)
        }
    }

    /// Runs `body` as the administrator in a transaction holding `anchordesk.vault_files`
    /// against every other writer of it, waiting at most `lockTimeout`; commits if it returns.
    private func withVaultLocked(lockTimeout: Duration, _ body: (PostgresSession) throws(StoreError) -> Void) throws(StoreError) {
        try withAdministratorSession(to: "store the DCC's keys") { session throws(StoreError) in
            let milliseconds = max(1, Int(lockTimeout.components.seconds * 1000 + lockTimeout.components.attoseconds / 1_000_000_000_000_000))
            try session.run("begin")
            do throws(StoreError) {
                try session.run(PostgresQuery(unsafeSQL: "set local lock_timeout = '\(milliseconds)ms'"))
                do throws(StoreError) {
                    try session.run("lock table anchordesk.vault_files in exclusive mode")
                } catch where error.code == .locked {
                    throw StoreError(code: .locked,
                                     message: "another administrator is changing the DCC's keys; try again, or wait longer with ANCHORDESK_LOCK_TIMEOUT",
                                     path: shown)
                }
                try body(session)
                try session.run("commit")
            } catch {
                try? session.run("rollback")
                throw error
            }
        }
    }
}
