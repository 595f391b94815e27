import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Helpers for the store's directory: creation with private permissions, existence checks and directory fsync.
public enum StoreDirectory {
    /// Creates a directory and any missing parents (like `mkdir -p`).
    ///
    /// The final component is created with mode 0700 (intermediate ones with 0755, both subject to the umask).
    /// Each newly created directory's parent is fsynced so the new entry is durable. An existing directory is
    /// accepted; with `requireEmpty` it must also be empty.
    ///
    /// - Parameters:
    ///   - path: The directory to create.
    ///   - requireEmpty: If `true`, an existing non-empty directory is an error.
    /// - Throws: `StoreError` `.alreadyExists` if `path` exists but is not a directory (or is non-empty when
    ///   `requireEmpty` is set); `.permissionDenied` or `.io` if a component cannot be created.
    public static func create(path: String, requireEmpty: Bool = false) throws(StoreError) {
        guard !path.isEmpty else {
            throw StoreError.invalidArgument("the store directory path is empty; pass a directory path")
        }
        let isAbsolute = path.hasPrefix("/")
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var prefix = isAbsolute ? "/" : ""
        var createdFinal = false
        for (index, component) in components.enumerated() {
            let parent = prefix.isEmpty ? "." : prefix
            prefix += (prefix.isEmpty || prefix.hasSuffix("/")) ? component : "/" + component
            let isLast = index == components.count - 1
            if mkdir(prefix, isLast ? 0o700 : 0o755) == 0 {
                try fsyncDirectory(path: parent)
                if isLast { createdFinal = true }
                continue
            }
            let err = Glibc.errno
            if err == EEXIST {
                if exists(path: prefix) { continue }
                if isLast {
                    throw StoreError(
                        code: .alreadyExists,
                        message: "exists but is not a directory; choose another store path or remove it",
                        path: prefix,
                        errno: EEXIST
                    )
                }
                throw StoreError.system(ENOTDIR, operation: "could not create store directory \(path)", path: prefix)
            }
            throw StoreError.system(err, operation: "could not create directory", path: prefix)
        }
        if requireEmpty && !createdFinal {
            let entries: [String]
            do {
                entries = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                throw StoreError(code: .io, message: "could not list directory: \(error); check its permissions", path: path)
            }
            if !entries.isEmpty {
                throw StoreError(
                    code: .alreadyExists,
                    message: "directory is not empty (\(entries.count) entries); choose an empty or new directory",
                    path: path
                )
            }
        }
    }

    /// Reports whether `path` exists and is a directory (following symbolic links).
    ///
    /// - Parameter path: The path to check.
    /// - Returns: `true` if `path` is a directory.
    public static func exists(path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Fsyncs a directory so that entries created, renamed or removed in it are durable.
    ///
    /// EINVAL from fsync is tolerated (some file systems do not support syncing directories).
    ///
    /// - Parameter path: The directory to sync.
    /// - Throws: `StoreError` if the directory cannot be opened, or `.io` if fsync fails.
    public static func fsyncDirectory(path: String) throws(StoreError) {
        let (fd, openErr) = FileIO.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw StoreError.system(openErr, operation: "could not open directory to fsync it", path: path)
        }
        defer { FileIO.close(fd) }
        let syncErr = FileIO.fsync(fd)
        if syncErr != 0 && syncErr != EINVAL {
            throw StoreError.system(syncErr, operation: "could not fsync directory", path: path, forceCode: .io)
        }
    }
}
