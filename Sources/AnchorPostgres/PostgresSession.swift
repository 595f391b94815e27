import AnchorCore
import AnchorStore
import Logging
import NIOCore
import PostgresNIO

/// One connection to the server, used synchronously; every failure becomes a one-line
/// ``StoreError`` that names the server but never the password.
final class PostgresSession: @unchecked Sendable {
    let location: PostgresLocation
    let connection: PostgresConnection
    /// The logger postgres-nio calls take (it discards everything: messages are AnchorDesk's own).
    static let logger = Logger(label: "anchordesk.postgresql", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(location: PostgresLocation, connection: PostgresConnection) {
        self.location = location
        self.connection = connection
    }

    /// Connects as the location's login.
    /// - Throws: `.permissionDenied` (wrong or missing password, no such login), `.notFound` (no
    ///   such database), `.io` (unreachable).
    static func connect(to location: PostgresLocation, environment: [String: String]) throws(StoreError) -> PostgresSession {
        let settings = try configuration(for: location, environment: environment)
        do {
            let connection = try Blocking.run(timeout: .seconds(30)) {
                try await PostgresConnection.connect(configuration: settings, id: 1, logger: logger)
            }
            return PostgresSession(location: location, connection: connection)
        } catch {
            throw PostgresFailure.storeError(error, at: location, connecting: true)
        }
    }

    /// The driver's settings for a location: its password found, a five-second connect timeout.
    /// The connection is not encrypted (TLS is not offered yet): use a loopback or trusted network.
    static func configuration(for location: PostgresLocation, environment: [String: String]) throws(StoreError) -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.login,
            password: try PostgresPassword.find(for: location, environment: environment),
            database: location.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// Runs a statement and decodes every row it returns.
    /// - Parameter timeout: how long it may go unanswered (``answerTimeout``, or ``bulkAnswerTimeout``
    ///   for a statement over the whole estate).
    func rows<Row: Sendable>(_ query: PostgresQuery, timeout: Duration = answerTimeout,
                             _ decode: @escaping @Sendable (PostgresRow) throws -> Row) throws(StoreError) -> [Row] {
        let connection = connection
        try checkOpen()
        do {
            return try Blocking.run(timeout: timeout) {
                var rows: [Row] = []
                for try await row in try await connection.query(query, logger: Self.logger) { rows.append(try decode(row)) }
                return rows
            }
        } catch {
            throw PostgresFailure.storeError(error, at: location, connecting: false)
        }
    }

    /// Runs statements that return nothing the caller needs.
    func run(_ query: PostgresQuery, timeout: Duration = answerTimeout) throws(StoreError) {
        _ = try rows(query, timeout: timeout) { _ in 0 }
    }

    /// One value from the first row's first column.
    func value<Value: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: Value.Type) throws(StoreError) -> Value? {
        try rows(query) { try $0.decode(Value.self) }.first
    }

    /// Streams rows to `consume` in batches, without holding them all.
    func stream(_ query: PostgresQuery, batch: Int, _ consume: @escaping @Sendable ([PostgresRow]) throws -> Void) throws(StoreError) {
        let connection = connection
        try checkOpen()
        do {
            try Blocking.run {
                var rows: [PostgresRow] = []
                for try await row in try await connection.query(query, logger: Self.logger) {
                    rows.append(row)
                    if rows.count == batch { try consume(rows); rows.removeAll(keepingCapacity: true) }
                }
                if !rows.isEmpty { try consume(rows) }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw PostgresFailure.storeError(error, at: location, connecting: false)
        }
    }

    /// A query written to a connection the server already closed would wait for ever (the
    /// driver drops it), so every query first checks the connection is still open.
    func checkOpen() throws(StoreError) {
        if connection.isClosed { throw PostgresFailure.lost(location, detail: "the server closed the connection") }
    }

    /// How long a statement may go unanswered before the connection is taken as lost: every
    /// statement AnchorDesk sends answers in milliseconds (writers never wait for each other in
    /// a statement: they wait for the writer lock by polling), and the driver has been seen to
    /// leave a statement unanswered for ever after the server restarted under it.
    static let answerTimeout = Duration.seconds(60)

    /// How long a statement over the whole estate may take (filling or indexing the device
    /// table of 25 million GPFs when a store is made or migrated): minutes, not milliseconds.
    static let bulkAnswerTimeout = Duration.seconds(4 * 3600)

    /// Closes the connection (the server then releases its session locks).
    func close() {
        let connection = connection
        _ = try? Blocking.run(timeout: .seconds(5)) { try await connection.close() }
    }
}
