import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// How many connections `serve` holds at once on each port, and how long one may stay idle.
/// Without them a client that connects and sends nothing (no TLS handshake, no request) held its
/// connection for ever, and anyone who could reach a port could use up the process's file
/// descriptors: both ports stopped answering, and `serve` could crash.
public struct ConnectionLimits: Sendable {
    /// The most connections each port (DUIS, operator API) holds at once; the next waits in the
    /// listen queue until one closes.
    public var perPort: Int
    /// How long a connection may go without finishing its TLS handshake, sending a request or
    /// waiting for its answer, or between keep-alive requests, before it is closed.
    public var idleTimeout: TimeAmount

    /// Limits.
    public init(perPort: Int, idleTimeout: TimeAmount) {
        self.perPort = perPort
        self.idleTimeout = idleTimeout
    }

    /// A quarter of the files this process may open per port (16 to 4,096), and 30 seconds idle:
    /// both ports together leave at least half the descriptors to the store, the outbox and TLS.
    public static var standard: ConnectionLimits {
        var limit = rlimit()
        let files = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? limit.rlim_cur : 1024
        return ConnectionLimits(perPort: perPort(openFileLimit: UInt64(files)), idleTimeout: .seconds(30))
    }

    /// A quarter of `openFileLimit`, at least 16 and at most 4,096.
    static func perPort(openFileLimit: UInt64) -> Int {
        Int(max(16, min(4096, openFileLimit / 4)))
    }
}
