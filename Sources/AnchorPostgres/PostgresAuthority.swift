import AnchorCore
import AnchorStore
import PostgresNIO

/// A writer's session with the database: it holds the writer lock, and each commit is one
/// call of `anchordesk.append_changes`, one transaction, acknowledged when `COMMIT` returns.
final class PostgresAuthority: StoreAuthority {
    private let session: PostgresSession

    init(session: PostgresSession) {
        self.session = session
    }

    func append(_ payloads: [[UInt8]], after sequence: UInt64) throws(StoreError) {
        let records = payloads.map { String(decoding: $0, as: UTF8.self) }
        let outcome = try session.value("select anchordesk.append_changes(\(String(sequence))::numeric, \(records))", as: String.self) ?? ""
        if outcome.hasPrefix("not-authorised ") {
            let organisation = DisplaySafeText.sanitize(String(outcome.dropFirst("not-authorised ".count)))
            let login = DisplaySafeText.sanitize(session.location.login)
            throw StoreError(code: .notAuthorised,
                             message: "login '\(login)' may not act for '\(organisation)'; nothing was written and the refusal is logged (an administrator grants it with 'anchordesk operator grant \(login) \(organisation)')",
                             path: session.location.shown)
        }
        guard outcome.hasPrefix("appended ") else {
            throw StoreError(code: .io, message: "PostgreSQL answered '\(DisplaySafeText.sanitize(outcome))' to a commit", path: session.location.shown)
        }
    }

    func close() {
        session.close()
    }
}
