import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a store directory must be before anything in it is read or written: its own regular
/// files in directories only its owner may write in.
///
/// A symbolic link in the store could send a write (the journal's append, a compaction's
/// rename target, a key) to a file outside it, or a read to something else; a FIFO or device
/// could hang or mislead a reader; a directory others may write in lets them put any of those
/// there. Every open of a store checks the whole tree first (the snapshot, journal, index, lock,
/// the SMKI folder and its keys, the DUIS outbox, a demo store's key folder), and the files
/// themselves are opened with `O_NOFOLLOW` (``FileIO/open(_:_:_:followingLinks:)``).
public enum StoreTrust {
    /// Checks the store directory `directory` (itself named as the user gave it, a link or not)
    /// and everything in it.
    /// - Throws: ``StoreError`` `.untrusted` naming the first symbolic link, non-regular file or
    ///   directory writable by group or others; `.io` when a directory cannot be listed.
    public static func check(directory: String) throws(StoreError) {
        var info = stat()
        guard stat(directory, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else { return }
        try checkPrivate(directory, mode: info.st_mode)
        var pending = [directory]
        while let folder = pending.popLast() {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder)
            } catch {
                throw StoreError(code: .io, message: "could not list the store's files to check them: \(error.localizedDescription)", path: folder)
            }
            for name in names.sorted() {
                let path = Store.path(folder, name)
                guard lstat(path, &info) == 0 else {
                    if errno == ENOENT { continue }  // removed meanwhile (an outbox entry delivered)
                    throw StoreError.system(errno, operation: "could not check the store's file", path: path)
                }
                switch info.st_mode & S_IFMT {
                case S_IFREG:
                    continue
                case S_IFDIR:
                    try checkPrivate(path, mode: info.st_mode)
                    pending.append(path)
                case S_IFLNK:
                    throw StoreError(code: .untrusted, message: "is a symbolic link; \(StoreError.onlyRegularFiles)", path: path)
                default:
                    throw StoreError(code: .untrusted, message: "is not a regular file (a FIFO, socket or device); the store uses only its own "
                                     + "regular files: remove it", path: path)
                }
            }
        }
    }

    /// Refuses a directory that group or others may write in.
    private static func checkPrivate(_ directory: String, mode: mode_t) throws(StoreError) {
        guard mode & 0o022 != 0 else { return }
        throw StoreError(
            code: .untrusted,
            message: "is writable by group or others (mode \(String(mode & 0o7777, radix: 8))): anyone who can write there can put "
                + "their own files in the store; make it private with 'chmod 700 \(directory)'",
            path: directory)
    }
}
