import AnchorStore
import Foundation
import NIOCore
import PostgresNIO

/// The DCC's keys (the store's ``CredentialVault`` folder) kept in the database, so that every
/// operator's AnchorDesk can act as the DSP and run the simulated devices: the database's copy
/// is written by the administrator and read into a machine's local directory when it has none.
/// Users' own keys are never stored: an operator passes its organisation's with `--keys`.
enum PostgresVault {
    /// Replaces the database's copy with the local folder's files.
    static func upload(from directory: String, over session: PostgresSession) throws(StoreError) {
        let folder = Store.path(directory, CredentialVault.folderName)
        let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        try session.run("begin")
        do throws(StoreError) {
            try session.run("delete from anchordesk.vault_files")
            for name in files.sorted() where name != CredentialVault.demoUserKeysRecordName {
                var isDirectory: ObjCBool = false
                let path = Store.path(folder, name)
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                let bytes = try AtomicFile.read(path: path)
                try session.run("insert into anchordesk.vault_files (name, bytes) values (\(name), \(ByteBuffer(bytes: bytes)))")
            }
            try session.run("commit")
        } catch {
            try? session.run("rollback")
            throw error
        }
    }

    /// Writes the database's copy into the local directory when it has no keys folder yet.
    static func downloadIfMissing(into directory: String, over session: PostgresSession) throws(StoreError) {
        let folder = Store.path(directory, CredentialVault.folderName)
        guard !FileManager.default.fileExists(atPath: folder) else { return }
        let files = try session.rows("select name, bytes from anchordesk.vault_files order by name") { row in
            let (name, buffer) = try row.decode((String, ByteBuffer).self)
            return (name, buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? [])
        }
        guard !files.isEmpty else { return }
        let staging = folder + ".incoming"
        try? FileManager.default.removeItem(atPath: staging)
        for (name, bytes) in files {
            guard !name.split(separator: "/").contains(".."), !name.hasPrefix("/") else {
                throw StoreError(code: .corrupt, message: "the database's key folder names a file outside it", path: session.location.shown)
            }
            let path = Store.path(staging, name)
            try StoreDirectory.create(path: (path as NSString).deletingLastPathComponent)
            try AtomicFile.write(bytes, to: path)
        }
        do {
            try FileManager.default.moveItem(atPath: staging, toPath: folder)
        } catch {
            throw StoreError(code: .io, message: "could not put the DCC's keys in place", path: folder)
        }
    }
}

extension PostgresStore {
    /// Puts the local folder's DCC keys into the database (after `init` or `store copy`).
    public func publishKeys() throws(StoreError) {
        try changeKeys {}
    }

    /// Changes the DCC's keys in the local folder, then puts them into the database: the
    /// administrator's to do, checked before anything is changed, so an operator's attempt
    /// leaves both the folder and the database as they were.
    public func changeKeys(_ change: () throws(StoreError) -> Void) throws(StoreError) {
        try withAdministratorSession(to: "store the DCC's keys") { session throws(StoreError) in
            try change()
            try PostgresVault.upload(from: directory, over: session)
        }
    }
}
