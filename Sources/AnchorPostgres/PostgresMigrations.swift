import AnchorStore
import Foundation
import PostgresNIO

/// Applies ``PostgresSchema/migrations`` and checks a database's version.
enum PostgresMigrations {
    /// The database's schema version, or `nil` when it holds no AnchorDesk store.
    static func version(in session: PostgresSession) throws(StoreError) -> Int? {
        let present = try session.value("select to_regclass('anchordesk.schema_version') is not null", as: Bool.self) ?? false
        guard present else { return nil }
        return try session.value("select version from anchordesk.schema_version", as: Int.self)
    }

    /// Refuses a database this build cannot use: none, newer, or older than this build writes.
    static func check(_ session: PostgresSession) throws(StoreError) {
        guard let version = try version(in: session) else {
            throw StoreError(code: .notFound,
                             message: "this database holds no AnchorDesk store; create one with 'anchordesk init --demo --store URL'",
                             path: session.location.shown)
        }
        if version > PostgresSchema.currentVersion {
            throw StoreError(code: .newerSchema,
                             message: "the database has AnchorDesk schema version \(version), newer than this build's \(PostgresSchema.currentVersion); use a newer anchordesk",
                             path: session.location.shown)
        }
        if version < PostgresSchema.currentVersion {
            throw StoreError(code: .newerSchema,
                             message: "the database has AnchorDesk schema version \(version), older than this build's \(PostgresSchema.currentVersion); an administrator runs 'anchordesk store migrate'",
                             path: session.location.shown)
        }
    }

    /// The migration, counted from 0, that deletes the DCC's private keys from the database
    /// (to version 5).
    static let keysLeaveStep = 4

    /// The last version whose device tables are filled from the store's records: a database
    /// already there keeps its rows, and a migration from it does not fill them again (later
    /// versions fill what they add to the tables themselves, as version 6 does).
    static let lastDeviceTableVersion = 4

    /// Brings the schema to ``PostgresSchema/currentVersion``, each migration in its own transaction.
    /// - Parameters:
    ///   - moveKeysOut: moves the private keys out of the database to the administrator's
    ///     machine, inside the transaction of ``keysLeaveStep``, before it deletes them.
    ///   - fillDevices: fills the device tables from the store's records, inside the
    ///     transaction of the last migration, when one of the migrations run changed them
    ///     (versions 2 to ``lastDeviceTableVersion``); `nil` when there is no store yet to fill them from.
    /// - Returns: the version before and after.
    @discardableResult
    static func migrate(_ session: PostgresSession,
                        moveKeysOut: ((PostgresSession) throws(StoreError) -> Void)? = nil,
                        fillDevices: ((PostgresSession) throws(StoreError) -> Void)? = nil) throws(StoreError) -> (from: Int, to: Int) {
        let before = try version(in: session) ?? 0
        if before > PostgresSchema.currentVersion { try check(session) }
        for step in before..<PostgresSchema.currentVersion {
            try session.run("begin")
            do throws(StoreError) {
                if step == keysLeaveStep, let moveKeysOut { try moveKeysOut(session) }
                for statement in statements(of: PostgresSchema.migrations[step]) {
                    try session.run(PostgresQuery(unsafeSQL: statement))
                }
                if step + 1 == PostgresSchema.currentVersion, before < lastDeviceTableVersion, let fillDevices { try fillDevices(session) }
                try session.run("update anchordesk.schema_version set version = \(step + 1)")
                try session.run("commit")
            } catch {
                try? session.run("rollback")
                throw error
            }
        }
        return (before, PostgresSchema.currentVersion)
    }

    /// A migration's statements: split at semicolons outside `$$` function bodies.
    static func statements(of script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inBody = false
        var characters = Array(script)[...]
        while let character = characters.popFirst() {
            if character == "$", characters.first == "$" {
                characters.removeFirst()
                inBody.toggle()
                current += "$$"
            } else if character == ";" && !inBody {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
