import AnchorCore
import AnchorStore
import Foundation

/// A machine's folder of the DCC's keys (its ``CredentialVault`` folder, `smki/`) as a whole:
/// its files, written afresh beside it and swapped in, and a copy kept before a change. A
/// folder that cannot be removed (a file in it made read-only) is renamed out of the way, so
/// it never blocks the next swap.
struct VaultFolder {
    /// The machine's directory.
    let directory: String

    var path: String { Store.path(directory, CredentialVault.folderName) }
    private var incoming: String { path + ".incoming" }
    private var previous: String { path + ".previous" }
    private var kept: String { path + ".before-change" }
    private var record: String { CredentialVault.demoUserKeysRecordName }

    /// The folder of the DCC's private keys (and the simulated devices' seed) inside it: this
    /// machine's alone, never in the database.
    static let privateFolder = "keys"

    /// Whether `name` is one of the DCC's private files (under ``privateFolder``).
    static func isPrivate(_ name: String) -> Bool { name.hasPrefix(privateFolder + "/") }

    /// The files the database holds a copy of: the public ones (every file but the private keys
    /// and the machine's own record of the demo Users' keys), by name, sorted.
    func publicFiles() throws(StoreError) -> [(name: String, bytes: [UInt8])] {
        try files(in: path).filter { !Self.isPrivate($0.name) && $0.name != record }
    }

    /// The files only this machine holds: the private keys and the record of the demo Users'
    /// keys, from the folder, or from the one a swap left beside it when the folder is gone.
    func machineFiles() throws(StoreError) -> [(name: String, bytes: [UInt8])] {
        let source = FileManager.default.fileExists(atPath: path) ? path : previous
        return try files(in: source).filter { Self.isPrivate($0.name) || $0.name == record }
    }

    /// Whether this machine's folder (or the one a swap left beside it) holds any private file:
    /// asked at every connection, so only the folder's entries are read, not the keys.
    var holdsPrivateFiles: Bool {
        let folder = Store.path(FileManager.default.fileExists(atPath: path) ? path : previous, Self.privateFolder)
        guard let entries = FileManager.default.enumerator(atPath: folder) else { return false }
        return entries.contains { _ in entries.fileAttributes?[.type] as? FileAttributeType != .typeDirectory }
    }

    /// Every file under `folder`, by relative name, sorted.
    func files(in folder: String) throws(StoreError) -> [(name: String, bytes: [UInt8])] {
        let names = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        var files: [(name: String, bytes: [UInt8])] = []
        for name in names.sorted() {
            var isDirectory: ObjCBool = false
            let file = Store.path(folder, name)
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files.append((name, try AtomicFile.read(path: file)))
        }
        return files
    }

    /// Whether `name` can be a file of the folder as the database holds it (public, or private
    /// before version 5): a relative path of plain components (none empty, `.` or `..`), so
    /// inside the folder, and not the machine's record.
    static func isFileName(_ name: String) -> Bool {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        return !components.isEmpty && name != CredentialVault.demoUserKeysRecordName
            && components.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// Whether `name` can be a public file of the folder as the database holds it: a file name
    /// (``isFileName(_:)``) that is not private.
    static func isPublicFileName(_ name: String) -> Bool {
        isFileName(name) && !isPrivate(name)
    }

    /// Makes the folder hold exactly `files` as its public files, and this machine's own files
    /// as they were (``machineFiles()``): written beside it, then swapped in.
    func replace(with files: [(String, [UInt8])], shown: String) throws(StoreError) {
        for (name, _) in files where !Self.isPublicFileName(name) {
            throw StoreError(code: .corrupt, message: "the database's key folder names a file '\(DisplaySafeText.sanitize(name))' it cannot hold",
                             path: shown)
        }
        try write(files + machineFiles().map { ($0.name, $0.bytes) })
    }

    /// Makes the folder hold exactly `files`, private ones included (the database's whole folder
    /// as a schema before version 5 kept it), with this machine's record kept. A private file
    /// the machine holds already must be one of `files`, byte for byte: one that is not (a stale
    /// copy, another store's key) is never overwritten or dropped, and nothing is changed.
    func replaceWhole(with files: [(String, [UInt8])], shown: String) throws(StoreError) {
        for (name, _) in files where !Self.isFileName(name) {
            throw StoreError(code: .corrupt, message: "the database's key folder names a file '\(DisplaySafeText.sanitize(name))' it cannot hold",
                             path: shown)
        }
        let incoming = Dictionary(files, uniquingKeysWith: { first, _ in first })
        let machine = try machineFiles()
        if let own = machine.first(where: { Self.isPrivate($0.name) && incoming[$0.name] != $0.bytes }) {
            throw StoreError(code: .alreadyExists,
                             message: "this machine holds \(DisplaySafeText.sanitize(own.name)) already, and it is not the database's copy; "
                                 + "nothing was changed: move the folder \(Self.privateFolder)/ aside (it may be another store's keys) and migrate again, "
                                 + "or migrate on another host",
                             path: path)
        }
        try write(files + machine.filter { $0.name == record }.map { ($0.name, $0.bytes) })
    }

    /// Writes `files` into a new folder beside the folder, then swaps it in.
    private func write(_ files: [(String, [UInt8])]) throws(StoreError) {
        try discard(incoming)
        try StoreDirectory.create(path: incoming)
        for (name, bytes) in files {
            let file = Store.path(incoming, name)
            try StoreDirectory.create(path: (file as NSString).deletingLastPathComponent)
            try AtomicFile.write(bytes, to: file)
        }
        try discard(previous)
        try move(path, to: previous)
        try move(incoming, to: path)
        try discard(previous)
    }

    /// Removes what a process killed part way through a change or a swap left beside the folder
    /// (a kept copy, a new folder half written, the old folder once the new one is in place):
    /// copies of the DCC's keys as they were. Only for a caller holding the folder, when no
    /// change or swap is under way; an old folder with no new one in its place is left, as
    /// ``replace(with:shown:)`` takes the machine's record from it.
    func discardLeftovers() throws(StoreError) {
        try discard(kept)
        try discard(incoming)
        if FileManager.default.fileExists(atPath: path) { try discard(previous) }
    }

    /// Keeps a copy of the folder as it is, for ``restoreKept()``.
    func keep() throws(StoreError) {
        try StoreDirectory.create(path: path)
        try discard(kept)
        do {
            try FileManager.default.copyItem(atPath: path, toPath: kept)
        } catch {
            throw StoreError(code: .io, message: "could not keep a copy of the DCC's keys before changing them", path: path)
        }
    }

    /// Puts back the copy ``keep()`` made.
    func restoreKept() throws(StoreError) {
        try discard(path)
        try move(kept, to: path)
    }

    /// Forgets the copy ``keep()`` made.
    func forgetKept() {
        try? discard(kept)
    }

    /// Removes what is at `target`; what cannot be removed is renamed out of the way (beside
    /// it, with a unique name), so `target` is free either way.
    private func discard(_ target: String) throws(StoreError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: target, isDirectory: &isDirectory) || (try? manager.destinationOfSymbolicLink(atPath: target)) != nil
        else { return }
        try? manager.removeItem(atPath: target)
        guard manager.fileExists(atPath: target) else { return }
        try move(target, to: target + ".stale-" + UUID().uuidString)
    }

    /// Renames `source` to `destination` (nothing to do when `source` is not there).
    private func move(_ source: String, to destination: String) throws(StoreError) {
        guard FileManager.default.fileExists(atPath: source) else { return }
        guard rename(source, destination) == 0 else {
            throw StoreError.system(errno, operation: "could not put the DCC's keys in place (renaming \((source as NSString).lastPathComponent))",
                                    path: destination)
        }
    }
}
