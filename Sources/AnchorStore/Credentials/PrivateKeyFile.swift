import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading a private key file (or another secret, such as the simulated devices' seed) the way
/// ssh reads one: only a regular file that its owner alone may read, owned by the user running
/// AnchorDesk (or by root). A key others can read is no longer only its owner's, so it is
/// refused, naming the file, rather than used.
public enum PrivateKeyFile {
    /// The file's bytes, or `nil` when there is no such file.
    /// - Parameter followingLinks: whether a symbolic link is followed (a User's own key
    ///   directory, outside the store); the store's own keys never are.
    /// - Throws: ``StoreError`` `.untrusted` for a file that is not a regular file, that group or
    ///   others may read or write, or that another user owns; others when it cannot be read.
    public static func read(_ path: String, followingLinks: Bool) throws(StoreError) -> [UInt8]? {
        // O_NONBLOCK: a FIFO opens at once (and is refused below) rather than waiting for a writer.
        let (fd, openError) = FileIO.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, followingLinks: followingLinks)
        guard fd >= 0 else {
            if openError == ENOENT { return nil }
            throw StoreError.system(openError, operation: "could not read the private key", path: path)
        }
        defer { FileIO.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError.system(errno, operation: "could not check the private key", path: path) }
        if let problem = problem(with: info, path: path) { throw StoreError(code: .untrusted, message: problem, path: path) }
        let (bytes, readError) = FileIO.readToEnd(fd)
        guard readError == 0 else { throw StoreError.system(readError, operation: "could not read the private key", path: path) }
        return bytes
    }

    /// Why the file `info` describes is not used as a private key, or `nil` when it may be: not
    /// a regular file, readable or writable by group or others, or owned by another user.
    static func problem(with info: stat, path: String) -> String? {
        guard info.st_mode & S_IFMT == S_IFREG else { return "is not a regular file, so it is not used as a private key" }
        guard info.st_mode & 0o077 == 0 else {
            return "a private key that group or others may read (mode \(String(info.st_mode & 0o777, radix: 8))) is not used, as ssh "
                + "refuses one; make it private with 'chmod 600 \(path)'"
        }
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            return "a private key owned by another user (uid \(info.st_uid)) is not used"
        }
        return nil
    }
}
