import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An error raised by the store's file layer, carrying enough context to tell the user what failed and what to do.
///
/// `description` is a single line of the form
/// `<path>: <message>` (with ` (at byte N)` appended when an offset is known but not already in the message).
public struct StoreError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The category of a store failure, suitable for choosing an exit code or a recovery path.
    public enum Code: String, Sendable, Equatable, Hashable, CaseIterable {
        /// Stored bytes failed validation (bad frame, checksum mismatch, unparsable content).
        case corrupt
        /// Another process holds the store lock.
        case locked
        /// The store was written by a newer schema than this build understands.
        case newerSchema
        /// The operating system refused access (EACCES, EPERM, EROFS).
        case permissionDenied
        /// An I/O operation failed (ENOSPC, EIO, ENOTDIR, a failed fsync, ...).
        case io
        /// A required file or directory does not exist.
        case notFound
        /// A file or directory exists where a new one was to be created.
        case alreadyExists
        /// The caller passed bytes or arguments the file layer cannot store (for example a payload containing a newline).
        case invalidArgument
        /// The database login may not act for the organisation a record names.
        case notAuthorised
        /// A file the store will not trust: a symbolic link or something other than a regular
        /// file in the store, a directory others may write in, a private key others may read.
        case untrusted
        /// The PKCS#11 token that holds the DCC's keys could not be used: its module, the token,
        /// the PIN, or a key in it.
        case keyToken
    }

    /// The category of the failure.
    public var code: Code
    /// A human-readable sentence saying what failed and what the user should do about it.
    public var message: String
    /// The file or directory the failure applies to, if any.
    public var path: String?
    /// The byte offset within `path` the failure applies to, if any.
    public var offset: Int?
    /// The POSIX `errno` value reported by the failing system call, if any.
    public var errno: Int32?

    /// Creates a store error from its parts.
    ///
    /// - Parameters:
    ///   - code: The category of the failure.
    ///   - message: What failed and what to do; should not repeat `path`.
    ///   - path: The affected file or directory.
    ///   - offset: The byte offset within `path`, if the failure concerns a specific position.
    ///   - errno: The POSIX error number, if a system call failed.
    public init(code: Code, message: String, path: String? = nil, offset: Int? = nil, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.offset = offset
        self.errno = errno
    }

    /// A one-line rendering: the path (if any), the message, and the byte offset if the message does not already state it.
    public var description: String {
        var line = ""
        if let path { line += "\(path): " }
        line += message
        if let offset, !message.contains("byte \(offset)") {
            line += " (at byte \(offset))"
        }
        return line
    }
}

extension StoreError {
    /// There is no store at `path`.
    public static func noStore(at path: String) -> StoreError {
        StoreError(code: .notFound, message: "no AnchorDesk store here; create one with 'anchordesk init --demo'", path: path)
    }

    /// Why a symbolic link in the store is refused, and what to do.
    static let onlyRegularFiles = "the store uses only its own regular files, never a symbolic link: put the file itself there, or remove the link"

    /// Advice appended to corruption messages.
    static let corruptionAdvice = "the store was not changed — restore from backup or run 'anchordesk store check'"

    /// Creates a `.corrupt` error for a damaged record or file.
    ///
    /// - Parameters:
    ///   - path: The damaged file.
    ///   - offset: The byte offset of the start of the damaged record, if known.
    ///   - reason: A short description of the defect, e.g. `CRC32C mismatch`.
    /// - Returns: An error whose description reads like
    ///   `journal.jsonl: corrupt record at byte 1234: CRC32C mismatch; the store was not changed — …`.
    public static func corrupt(path: String?, offset: Int?, reason: String) -> StoreError {
        let location = offset.map { "corrupt record at byte \($0)" } ?? "corrupt data"
        return StoreError(
            code: .corrupt,
            message: "\(location): \(reason); \(corruptionAdvice)",
            path: path,
            offset: offset
        )
    }

    /// Creates a `.locked` error naming the process that holds the store lock.
    ///
    /// - Parameters:
    ///   - path: The lock file.
    ///   - holderPID: The pid recorded in the lock file, or `nil` if it could not be read.
    /// - Returns: An error telling the user to wait for or stop the holder.
    public static func locked(path: String?, holderPID: Int32?) -> StoreError {
        let who = holderPID.map { "process \($0)" } ?? "another process (pid unknown)"
        return StoreError(
            code: .locked,
            message: "the store is locked by \(who); wait for it to finish or stop it",
            path: path
        )
    }

    /// Creates a `.newerSchema` error for data written by a newer version of AnchorDesk.
    ///
    /// - Parameters:
    ///   - path: The file whose schema is too new.
    ///   - found: The schema version found in the file.
    ///   - supported: The newest schema version this build understands.
    /// - Returns: An error telling the user to upgrade.
    public static func newerSchema(path: String?, found: Int, supported: Int) -> StoreError {
        StoreError(
            code: .newerSchema,
            message: "written with store schema \(found) but this build supports up to \(supported); "
                + "upgrade AnchorDesk — the store was not changed",
            path: path
        )
    }

    /// Creates a `.notFound` error for a missing file or directory.
    ///
    /// - Parameter path: The missing file or directory.
    /// - Returns: An error telling the user to check the path.
    public static func notFound(path: String) -> StoreError {
        StoreError(
            code: .notFound,
            message: "does not exist; check the store path or create the store first",
            path: path,
            errno: ENOENT
        )
    }

    /// Creates an `.invalidArgument` error for input the file layer refuses to store.
    ///
    /// - Parameters:
    ///   - message: What was wrong with the input.
    ///   - path: The file the input was destined for, if known.
    /// - Returns: The error.
    public static func invalidArgument(_ message: String, path: String? = nil) -> StoreError {
        StoreError(code: .invalidArgument, message: message, path: path)
    }

    /// Maps a POSIX error number to a store error code.
    ///
    /// EACCES/EPERM/EROFS map to `.permissionDenied`, ENOENT to `.notFound`, EEXIST to `.alreadyExists`,
    /// ELOOP (a symbolic link opened with `O_NOFOLLOW`) to `.untrusted`, everything else (ENOSPC, EIO, ENOTDIR, ...) to `.io`.
    ///
    /// - Parameter errorNumber: The POSIX `errno` value.
    /// - Returns: The matching code.
    public static func code(forErrno errorNumber: Int32) -> Code {
        switch errorNumber {
        case EACCES, EPERM, EROFS: return .permissionDenied
        case ENOENT: return .notFound
        case EEXIST: return .alreadyExists
        case ELOOP: return .untrusted
        default: return .io
        }
    }

    /// Creates an error from a failed system call, choosing the code from `errno` and adding advice.
    ///
    /// - Parameters:
    ///   - errorNumber: The POSIX `errno` value.
    ///   - operation: What was attempted, e.g. `could not open journal for appending`.
    ///   - path: The affected file or directory.
    ///   - forceCode: A code to use instead of the errno mapping (e.g. `.io` for a failed fsync).
    ///   - advice: What the user should do; a default per code is used when `nil`.
    /// - Returns: The error.
    public static func system(
        _ errorNumber: Int32,
        operation: String,
        path: String?,
        forceCode: Code? = nil,
        advice: String? = nil
    ) -> StoreError {
        let code = forceCode ?? StoreError.code(forErrno: errorNumber)
        let reason = String(cString: strerror(errorNumber))
        let defaultAdvice: String
        switch code {
        case .permissionDenied:
            defaultAdvice = "check the permissions and ownership of the store directory, and that the file system is writable"
        case .notFound:
            defaultAdvice = "check the store path or create the store first"
        case .alreadyExists:
            defaultAdvice = "choose another path or remove the existing entry"
        case .untrusted:
            defaultAdvice = StoreError.onlyRegularFiles
        default:
            defaultAdvice = errorNumber == ENOSPC
                ? "free some disk space and try again"
                : "check the disk and file system, then try again"
        }
        return StoreError(
            code: code,
            message: "\(operation): \(reason) (errno \(errorNumber)); \(advice ?? defaultAdvice)",
            path: path,
            errno: errorNumber
        )
    }
}
