import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An append-only journal file opened with `O_APPEND`, writing framed records and syncing them to disk.
///
/// After any failed write, fsync or truncate the instance becomes unusable: every later call throws. A failed
/// fsync is never retried, because the kernel may already have dropped the dirty pages and a second fsync can
/// falsely report success (the PostgreSQL "fsyncgate" lesson). Reopen the journal and rescan it instead.
///
/// Not thread-safe: use one instance from one task or thread at a time.
public final class JournalFile {
    /// The journal's path as given to `openForAppend(path:)`.
    public let path: String
    /// The open descriptor, or -1 once closed.
    private var fd: Int32
    /// Set after a failed write/fsync/truncate; carries the original failure.
    private var failure: StoreError?
    /// The system calls used to write and sync: a seam through which tests inject ENOSPC, EIO
    /// and failed `fsync`s that a real disk rarely produces on demand.
    var writeAll: (Int32, [UInt8]) -> Int32 = FileIO.writeAll
    var sync: (Int32) -> Int32 = FileIO.fsync

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit {
        if fd >= 0 { FileIO.close(fd) }
    }

    /// Whether the file is open and has not suffered a write or fsync failure.
    public var isUsable: Bool { fd >= 0 && failure == nil }

    /// Opens a journal for appending, creating it with mode 0600 if it does not exist.
    ///
    /// The file is opened `O_WRONLY | O_APPEND | O_CLOEXEC`. When the file is newly created its directory is
    /// fsynced so that the new entry survives a crash.
    ///
    /// - Parameter path: The journal file path.
    /// - Returns: An open journal.
    /// - Throws: `StoreError` (`.permissionDenied`, `.notFound` if the directory is missing, or `.io`).
    public static func openForAppend(path: String) throws(StoreError) -> JournalFile {
        let flags = O_WRONLY | O_APPEND | O_CLOEXEC
        var (fd, err) = FileIO.open(path, flags | O_CREAT | O_EXCL, 0o600)
        var created = fd >= 0
        if fd < 0 && err == EEXIST {
            (fd, err) = FileIO.open(path, flags)
            created = false
            if fd < 0 && err == ENOENT {
                // Removed between the two opens; try creating once more.
                (fd, err) = FileIO.open(path, flags | O_CREAT, 0o600)
                created = fd >= 0
            }
        }
        guard fd >= 0 else {
            throw StoreError.system(err, operation: "could not open journal for appending", path: path)
        }
        let journal = JournalFile(path: path, fd: fd)
        if created {
            try StoreDirectory.fsyncDirectory(path: FileIO.parentDirectory(of: path))
        }
        return journal
    }

    /// Reads a whole journal file.
    ///
    /// - Parameter path: The journal file path.
    /// - Returns: The file's bytes, or an empty array if the file does not exist.
    /// - Throws: `StoreError` if the file exists but cannot be read.
    public static func read(path: String) throws(StoreError) -> [UInt8] {
        try FileIO.readFile(path, operation: "could not read journal") ?? []
    }

    /// Appends framed records and makes them durable with a single fsync.
    ///
    /// All payloads are validated before anything is written, so an invalid payload writes nothing and leaves the
    /// journal usable. An empty array is a no-op.
    ///
    /// - Parameter payloads: The caller's JSON payloads, each non-empty and free of newline bytes.
    /// - Throws: `StoreError` `.invalidArgument` for a bad payload; `.io` (with `errno`) if the write or fsync
    ///   fails, after which this instance is unusable; the previous failure if it is already unusable.
    public func append(_ payloads: [[UInt8]]) throws(StoreError) {
        try checkUsable()
        guard !payloads.isEmpty else { return }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(payloads.reduce(0) { $0 + $1.count + 64 })
        for payload in payloads {
            try JournalFrame.validate(payload)
            JournalFrame.appendFrame(of: payload, to: &buffer)
        }
        let writeErr = writeAll(fd, buffer)
        if writeErr != 0 {
            throw poison(writeErr, "could not append to journal")
        }
        let syncErr = sync(fd)
        if syncErr != 0 {
            throw poison(syncErr, "could not fsync journal after appending")
        }
    }

    /// Cuts the journal to `length` bytes (typically `JournalScan.validLength`, to drop a torn tail) and fsyncs.
    ///
    /// - Parameter length: The new file length in bytes.
    /// - Throws: `StoreError` `.invalidArgument` for a negative length; `.io` if ftruncate or fsync fails,
    ///   after which this instance is unusable.
    public func truncate(toLength length: Int) throws(StoreError) {
        try checkUsable()
        guard length >= 0 else {
            throw StoreError.invalidArgument("cannot truncate journal to a negative length (\(length))", path: path)
        }
        let truncErr = FileIO.ftruncate(fd, length)
        if truncErr != 0 {
            throw poison(truncErr, "could not truncate journal to \(length) bytes")
        }
        let syncErr = FileIO.fsync(fd)
        if syncErr != 0 {
            throw poison(syncErr, "could not fsync journal after truncating")
        }
    }

    /// Closes the file; later appends throw. Idempotent.
    ///
    /// Durability comes from the fsync in `append`, so an error from close(2) is not reported.
    public func close() {
        if fd >= 0 {
            FileIO.close(fd)
            fd = -1
        }
    }

    private func checkUsable() throws(StoreError) {
        if let failure {
            throw StoreError(
                code: failure.code,
                message: "the journal is unusable after an earlier failure (\(failure.message)); "
                    + "reopen the store, which rescans the journal",
                path: path,
                errno: failure.errno
            )
        }
        if fd < 0 {
            throw StoreError(code: .io, message: "the journal is closed; reopen the store", path: path)
        }
    }

    private func poison(_ errorNumber: Int32, _ operation: String) -> StoreError {
        let error = StoreError.system(
            errorNumber,
            operation: operation,
            path: path,
            forceCode: .io,
            advice: (errorNumber == ENOSPC ? "free some disk space, then " : "check the disk, then ")
                + "reopen the store (the last batch may or may not be on disk; the journal is now closed for writing)"
        )
        failure = error
        return error
    }
}
