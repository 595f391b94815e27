import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive, advisory lock on a store directory, held with `flock(2)` on `<directory>/lock`.
///
/// The lock belongs to the open file description, so a second `acquire` in the same process (a separate open)
/// also conflicts. If the holding process dies, the kernel closes its descriptors and releases the lock
/// automatically; the stale pid left in the file is only informational. Call `release()` explicitly;
/// `deinit` releases as a safety net only.
///
/// Not thread-safe: use one instance from one task or thread at a time.
public final class StoreLock {
    /// The path of the lock file.
    public let path: String
    /// The open descriptor holding the lock, or -1 once released.
    private var fd: Int32
    /// The pid a previous holder left in the lock file without releasing it cleanly, if that
    /// process is no longer running: the kernel freed its lock when it died.
    public private(set) var abandonedBy: Int32?

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit {
        release()
    }

    /// Whether this instance still holds the lock.
    public var isHeld: Bool { fd >= 0 }

    /// Acquires the store lock, polling until `timeout` elapses.
    ///
    /// Opens or creates `<directory>/lock` (or `name`, for a lock of another purpose; mode 0600), tries `flock(LOCK_EX | LOCK_NB)` every `pollInterval`,
    /// and on success replaces the file's contents with `pid <getpid()>\n` (not fsynced; it is informational).
    ///
    /// - Parameters:
    ///   - directory: The store directory.
    ///   - timeout: How long to keep trying; `.zero` tries once.
    ///   - pollInterval: The delay between attempts.
    ///   - name: The lock file's name in `directory`.
    /// - Returns: The held lock.
    /// - Throws: `StoreError` `.locked` naming the holder's pid on timeout; `.notFound`, `.permissionDenied`
    ///   or `.io` if the lock file cannot be opened or locked.
    public static func acquire(
        directory: String,
        timeout: Duration,
        pollInterval: Duration = .milliseconds(20),
        name: String = "lock"
    ) throws(StoreError) -> StoreLock {
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        let (fd, openErr) = FileIO.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.system(openErr, operation: "could not open the store lock file", path: path)
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { break }
            let err = Glibc.errno
            if err == EINTR { continue }
            guard err == EWOULDBLOCK else {
                FileIO.close(fd)
                throw StoreError.system(err, operation: "could not lock the store", path: path)
            }
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero {
                let holder = readHolderPID(fd)
                FileIO.close(fd)
                throw StoreError.locked(path: path, holderPID: holder)
            }
            sleep(for: min(pollInterval, remaining))
        }
        let lock = StoreLock(path: path, fd: fd)
        // A clean release empties the file, so a pid still here belongs to a holder that died.
        if let previous = readHolderPID(fd), previous != getpid(), kill(previous, 0) != 0, Glibc.errno == ESRCH {
            lock.abandonedBy = previous
        }
        let record = Array("pid \(getpid())\n".utf8)
        let truncErr = FileIO.ftruncate(fd, 0)
        let writeErr = truncErr != 0 ? truncErr : record.withUnsafeBytes { raw -> Int32 in
            pwrite(fd, raw.baseAddress, raw.count, 0) == raw.count ? 0 : (Glibc.errno == 0 ? EIO : Glibc.errno)
        }
        if writeErr != 0 {
            lock.release()
            throw StoreError.system(writeErr, operation: "could not record the owner pid in the lock file", path: path)
        }
        return lock
    }

    /// Empties the lock file (a clean release leaves no pid behind), unlocks and closes it. Idempotent.
    public func release() {
        guard fd >= 0 else { return }
        _ = FileIO.ftruncate(fd, 0)
        _ = flock(fd, LOCK_UN)  // close(2) below releases the lock anyway.
        FileIO.close(fd)
        fd = -1
    }

    /// Reads `pid N` from the start of the lock file, if present.
    private static func readHolderPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self)
        guard text.hasPrefix("pid ") else { return nil }
        let digits = text.dropFirst(4).prefix { $0.isNumber }
        return Int32(digits)
    }

    /// Sleeps the current thread for `duration` (non-negative).
    private static func sleep(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0 || attoseconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && Glibc.errno == EINTR {
            request = remaining
        }
    }
}
