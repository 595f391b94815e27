import AnchorCore
import AnchorStore
import Foundation

/// A PostgreSQL store's address, `postgresql://LOGIN@HOST[:PORT]/DATABASE` (or `postgres://`).
///
/// A password is never part of it: it comes from `PGPASSWORD` or the password file
/// (``PostgresPassword``), so it cannot reach a shell history, a process list or a message.
public struct PostgresLocation: Sendable, Equatable {
    /// The login (a PostgreSQL role that can log in): the operator.
    public var login: String
    /// The server's host name or address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The database.
    public var database: String

    /// Whether a `--store` value is meant as a URL rather than a directory: it starts with
    /// `postgres` in any case, or holds `://`. Such a value is read as a URL, so a mistyped
    /// one (`POSTGRESQL://`, `postgresql:/`, `pg://`) is refused instead of becoming a
    /// directory named after it, password and all.
    public static func isURL(_ text: String) -> Bool {
        text.lowercased().hasPrefix("postgres") || text.contains("://")
    }

    /// Reads a URL.
    /// - Throws: `.invalidArgument` (exit 2) naming what is wrong; the text is never echoed
    ///   back whole, since a malformed URL may hold a password.
    public init(url text: String) throws(StoreError) {
        guard let scheme = ["postgresql://", "postgres://"].first(where: text.lowercased().hasPrefix) else {
            throw Self.malformed("it must start with postgresql://")
        }
        let rest = text.dropFirst(scheme.count)
        guard !rest.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }) else {
            throw Self.malformed("it contains spaces or control characters")
        }
        guard let slash = rest.firstIndex(of: "/") else { throw Self.malformed("it names no database (…/DATABASE)") }
        let authority = rest[..<slash]
        let path = rest[rest.index(after: slash)...]
        guard !path.contains("?"), !path.contains("#") else {
            throw Self.malformed("it has parameters; AnchorDesk takes none (the password comes from PGPASSWORD or ~/.pgpass)")
        }
        guard let at = authority.lastIndex(of: "@") else { throw Self.malformed("it names no login (LOGIN@HOST)") }
        let userInfo = authority[..<at]
        guard !userInfo.contains(":") else {
            throw Self.malformed("it holds a password; give it in PGPASSWORD or ~/.pgpass, never on the command line")
        }
        let hostPort = authority[authority.index(after: at)...]
        var host = Substring(hostPort)
        var port = 5432
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw Self.malformed("its IPv6 address has no closing ]") }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else { throw Self.malformed("its port is not a number") }
                port = number
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<colon]
            guard let number = Int(hostPort[hostPort.index(after: colon)...]) else { throw Self.malformed("its port is not a number") }
            port = number
        }
        guard (1...65535).contains(port) else { throw Self.malformed("its port is not from 1 to 65535") }
        guard !host.isEmpty else { throw Self.malformed("it names no host") }
        guard let login = String(userInfo).removingPercentEncoding, !login.isEmpty,
              let database = String(path).removingPercentEncoding, !database.isEmpty, !database.contains("/")
        else { throw Self.malformed("its login or database is empty or not valid percent-encoding") }
        self.login = login
        self.host = String(host)
        self.port = port
        self.database = database
    }

    private static func malformed(_ reason: String) -> StoreError {
        StoreError.invalidArgument("the store URL is malformed: \(reason); expected postgresql://LOGIN@HOST[:PORT]/DATABASE")
    }

    /// The URL as shown in messages (it never holds a password).
    public var shown: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return DisplaySafeText.sanitize("postgresql://\(login)@\(hostPart):\(port)/\(database)")
    }

    /// The local folder that keeps the DCC's keys and this machine's copy of the records:
    /// `$ANCHORDESK_PG_LOCAL`, else `$XDG_DATA_HOME/anchordesk/postgresql/LOGIN@HOST_PORT_DATABASE`
    /// (else under `~/.local/share`).
    public func localDirectory(environment: [String: String]) -> String {
        if let chosen = environment["ANCHORDESK_PG_LOCAL"], !chosen.isEmpty { return chosen }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? ".") + "/.local/share"
        let name = "\(login)@\(host)_\(port)_\(database)".map { $0.isLetter || $0.isNumber || "@._-".contains($0) ? $0 : "_" }
        return data + "/anchordesk/postgresql/" + String(name)
    }
}
