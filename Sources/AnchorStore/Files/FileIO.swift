import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Thin, errno-returning wrappers over the POSIX calls used by the store (internal).
enum FileIO {
    /// Opens `path`, retrying on EINTR; returns the descriptor or the errno.
    ///
    /// A file is opened with `O_NOFOLLOW` (a symbolic link fails with ELOOP) unless
    /// `followingLinks`: the store's files are its own, never links to somewhere else. A
    /// directory (`O_DIRECTORY`) is opened as named: the store's own path may be a link.
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o600, followingLinks: Bool = false) -> (fd: Int32, errno: Int32) {
        let flags = followingLinks || flags & O_DIRECTORY != 0 ? flags : flags | O_NOFOLLOW
        while true {
            let fd = Glibc.open(path, flags, mode)
            if fd >= 0 { return (fd, 0) }
            let e = Glibc.errno
            if e != EINTR { return (-1, e) }
        }
    }

    /// Writes every byte of `buffer` to `fd`, handling short writes and EINTR; returns 0 or an errno.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32 {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = Glibc.write(fd, base + done, buffer.count - done)
            if n > 0 {
                done += n
            } else if n == 0 {
                // A zero-byte write of a non-empty buffer makes no progress; report it rather than spin.
                return EIO
            } else {
                let e = Glibc.errno
                if e != EINTR { return e }
            }
        }
        return 0
    }

    /// Writes every byte of `bytes` to `fd`; returns 0 or an errno.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Calls fsync once (retrying only on EINTR, where nothing was done); returns 0 or an errno.
    static func fsync(_ fd: Int32) -> Int32 {
        while true {
            if Glibc.fsync(fd) == 0 { return 0 }
            let e = Glibc.errno
            if e != EINTR { return e }
        }
    }

    /// Truncates `fd` to `length`; returns 0 or an errno.
    static func ftruncate(_ fd: Int32, _ length: Int) -> Int32 {
        while true {
            if Glibc.ftruncate(fd, off_t(length)) == 0 { return 0 }
            let e = Glibc.errno
            if e != EINTR { return e }
        }
    }

    /// Closes `fd`; returns 0 or an errno. EINTR is not retried (on Linux the descriptor is already released).
    @discardableResult
    static func close(_ fd: Int32) -> Int32 {
        Glibc.close(fd) == 0 ? 0 : Glibc.errno
    }

    /// Reads `fd` from its current position to end of file.
    static func readToEnd(_ fd: Int32) -> (bytes: [UInt8], errno: Int32) {
        var info = stat()
        var capacity = fstat(fd, &info) == 0 && info.st_size > 0 ? Int(info.st_size) + 1 : 64 * 1024
        var result: [UInt8] = []
        while true {
            // Read straight into the array's spare capacity: no intermediate chunk copies.
            var failure: Int32 = 0
            var reachedEnd = false
            let already = result.count
            result.reserveCapacity(capacity)
            let spare = result.capacity - already
            result.append(contentsOf: repeatElement(0, count: spare))
            var filled = already
            result.withUnsafeMutableBytes { buffer in
                while filled < buffer.count {
                    let count = Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                    if count > 0 {
                        filled += count
                    } else if count == 0 {
                        reachedEnd = true
                        return
                    } else if Glibc.errno != EINTR {
                        failure = Glibc.errno
                        return
                    }
                }
            }
            result.removeLast(result.count - filled)
            if failure != 0 { return ([], failure) }
            if reachedEnd { return (result, 0) }
            capacity = result.count * 2
        }
    }

    /// Reads a whole file; returns `nil` bytes with errno ENOENT if it does not exist.
    /// - Parameter followingLinks: read a file a symbolic link names (input from outside the store).
    static func readFile(_ path: String, operation: String, followingLinks: Bool = false) throws(StoreError) -> [UInt8]? {
        let (fd, openErr) = open(path, O_RDONLY | O_CLOEXEC, followingLinks: followingLinks)
        if fd < 0 {
            if openErr == ENOENT { return nil }
            throw StoreError.system(openErr, operation: operation, path: path)
        }
        defer { close(fd) }
        let (bytes, readErr) = readToEnd(fd)
        if readErr != 0 {
            throw StoreError.system(readErr, operation: operation, path: path)
        }
        return bytes
    }

    /// Removes a file if there is one.
    static func removeIfPresent(_ path: String) throws(StoreError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw StoreError.system(errno, operation: "could not remove file", path: path)
        }
    }

    /// The directory containing `path` ("." for a bare file name).
    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}
