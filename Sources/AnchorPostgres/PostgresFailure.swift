import AnchorCore
import AnchorStore
import PostgresNIO

/// How a driver or server error reads to an operator: one line, the server named, the
/// server's own message where it has one, and never a password or a bound value.
enum PostgresFailure {
    /// SQLSTATE values AnchorDesk's own functions raise.
    enum State {
        /// The login may not act for the organisation (PostgreSQL's `insufficient_privilege`).
        static let notAuthorised = "42501"
        /// The writer decided on an old state: another writer committed first.
        static let stale = "AD001"
        /// A record's sequence or audit link does not follow the last one, or is not one record.
        static let outOfOrder = "AD002"
        /// A row lock was not granted within `lock_timeout` (PostgreSQL's `lock_not_available`).
        static let lockNotAvailable = "55P03"
    }

    static func storeError(_ error: any Error, at location: PostgresLocation, connecting: Bool) -> StoreError {
        if let error = error as? StoreError { return error }
        let server = location.shown
        if error is Blocking.TimedOut {
            return connecting
                ? StoreError(code: .io, message: "cannot reach PostgreSQL at \(location.host):\(location.port) (no answer)", path: server)
                : lost(location, detail: "no answer")
        }
        guard let psql = error as? PSQLError else {
            return StoreError(code: .io, message: "cannot reach PostgreSQL at \(location.host):\(location.port): \(shortDescription(of: error))",
                              path: server)
        }
        if let info = psql.serverInfo {
            let state = info[.sqlState] ?? ""
            let message = DisplaySafeText.sanitize(info[.message] ?? "the server refused")
            switch state {
            case "28P01", "28000":
                return StoreError(code: .permissionDenied,
                                  message: "PostgreSQL refused login '\(DisplaySafeText.sanitize(location.login))': \(message) (the password comes from PGPASSWORD or ~/.pgpass)",
                                  path: server)
            case "42704":
                return StoreError(code: .invalidArgument, message: message, path: server)
            case "3D000":
                return StoreError(code: .notFound, message: "\(message); create it, or check the URL", path: server)
            case State.notAuthorised:
                return StoreError(code: .notAuthorised, message: message, path: server)
            case State.lockNotAvailable:
                return StoreError(code: .locked,
                                  message: "another writer holds the device or counter this needs; try again, or wait longer with ANCHORDESK_LOCK_TIMEOUT",
                                  path: server)
            case State.stale, State.outOfOrder:
                return StoreError(code: .locked, message: "\(message); run the command again to decide on the new state", path: server)
            case _ where state.hasPrefix("08") || state.hasPrefix("57"):
                return lost(location, detail: message)
            default:
                return StoreError(code: .io, message: "PostgreSQL: \(message) (SQLSTATE \(state))", path: server)
            }
        }
        switch psql.code {
        case .authMechanismRequiresPassword:
            return StoreError(code: .permissionDenied,
                              message: "PostgreSQL asks login '\(DisplaySafeText.sanitize(location.login))' for a password: set PGPASSWORD or add it to ~/.pgpass",
                              path: server)
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return lost(location, detail: "the server closed the connection")
        case .connectionError where connecting:
            return StoreError(code: .io, message: "cannot reach PostgreSQL at \(location.host):\(location.port) (\(shortDescription(of: psql.underlying)))",
                              path: server)
        default:
            return connecting
                ? StoreError(code: .io, message: "cannot connect to PostgreSQL at \(location.host):\(location.port) (\(psql.code))", path: server)
                : lost(location, detail: "\(psql.code)")
        }
    }

    /// The connection went away mid-work: what was acknowledged is kept, a rerun finishes the rest.
    static func lost(_ location: PostgresLocation, detail: String) -> StoreError {
        StoreError(code: .io,
                   message: "lost the connection to PostgreSQL at \(location.host):\(location.port) (\(detail)); everything acknowledged is kept, and running the command again finishes the rest",
                   path: location.shown)
    }

    private static func shortDescription(of error: (any Error)?) -> String {
        guard let error else { return "no answer" }
        let text = String(describing: error)
        if text.contains("refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        if text.lowercased().contains("timeout") || text.contains("timed out") { return "timed out" }
        if text.contains("resolve") || text.contains("NXDOMAIN") || text.contains("getaddrinfo") { return "unknown host" }
        return DisplaySafeText.sanitize(String(text.prefix(120)))
    }
}
