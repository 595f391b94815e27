import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whole-file replacement that is atomic and durable: write a temporary file, fsync, rename, fsync the directory.
public enum AtomicFile {
    /// Replaces the contents of `path` with `bytes` atomically.
    ///
    /// Writes `path + ".tmp-<pid>"` with mode `mode` (0600 unless told), fsyncs it, renames it over `path`, then fsyncs
    /// the directory. A reader sees either the old or the new contents, never a mix. On failure the temporary file is removed.
    ///
    /// - Parameters:
    ///   - bytes: The new contents.
    ///   - path: The destination file.
    ///   - mode: The file's permissions, whatever the umask (0644 for a certificate anyone may read).
    /// - Throws: `StoreError` (`.permissionDenied`, `.notFound` if the directory is missing, `.io`).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(StoreError) {
        try write(pieces: [.bytes(bytes)], to: path, mode: mode)
    }

    /// Replaces the contents of `path` with the pieces, one after another, as ``write(_:to:mode:)`` does.
    static func write(pieces: [FilePiece], to path: String, mode: mode_t = 0o600) throws(StoreError) {
        let temporary = path + ".tmp-\(getpid())"
        let (fd, openErr) = FileIO.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.system(openErr, operation: "could not create temporary file for \(path)", path: temporary)
        }
        var failure: StoreError?
        if mode != 0o600, fchmod(fd, mode) != 0 {
            failure = .system(Glibc.errno, operation: "could not set the permissions of", path: temporary)
        }
        var writeErr: Int32 = 0
        for piece in pieces where writeErr == 0 && failure == nil {
            writeErr = piece.withBytes { FileIO.writeAll(fd, $0) }
        }
        if failure == nil, writeErr != 0 {
            failure = .system(writeErr, operation: "could not write", path: temporary, forceCode: .io)
        }
        if failure == nil {
            let syncErr = FileIO.fsync(fd)
            if syncErr != 0 {
                failure = .system(syncErr, operation: "could not fsync", path: temporary, forceCode: .io)
            }
        }
        let closeErr = FileIO.close(fd)
        if failure == nil, closeErr != 0 {
            failure = .system(closeErr, operation: "could not close", path: temporary, forceCode: .io)
        }
        if failure == nil, rename(temporary, path) != 0 {
            failure = .system(Glibc.errno, operation: "could not rename temporary file into place", path: path)
        }
        if let failure {
            // Best-effort cleanup of our own temporary file; the original error is what matters.
            _ = unlink(temporary)
            throw failure
        }
        try StoreDirectory.fsyncDirectory(path: FileIO.parentDirectory(of: path))
    }

    /// Reads a whole file.
    ///
    /// - Parameter path: The file to read.
    /// - Returns: The file's bytes.
    /// - Throws: `StoreError` `.notFound` if the file does not exist, or another code if it cannot be read.
    public static func read(path: String) throws(StoreError) -> [UInt8] {
        guard let bytes = try FileIO.readFile(path, operation: "could not read file") else {
            throw StoreError.notFound(path: path)
        }
        return bytes
    }
}
