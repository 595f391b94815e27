import AnchorCore
import AnchorStore
import PostgresNIO

/// One grant: a login may act for an organisation.
public struct OperatorGrant: Sendable, Equatable {
    /// The PostgreSQL login.
    public var login: String
    /// The organisation it may act for.
    public var organisation: String
    /// The administrator login that granted it.
    public var grantedBy: String
}

/// Which logins may act for which organisations: kept and enforced in the database.
enum PostgresOperator {
    /// Refuses a login granted nothing at all.
    static func requireAnyGrant(_ session: PostgresSession) throws(StoreError) {
        guard try session.value("select anchordesk.may_act(null)", as: Bool.self) != true else { return }
        let login = DisplaySafeText.sanitize(session.location.login)
        throw StoreError(code: .notAuthorised,
                         message: "login '\(login)' is not granted any organisation in this store (an administrator grants one with 'anchordesk operator grant \(login) ORG')",
                         path: session.location.shown)
    }

    /// What to say to a login that is not the DSP's when its machine still holds private keys in
    /// its key folder: the copy a schema before version 5 gave every machine that opened the store.
    /// Only the DSP's hosts need them; `nil` when there are none, or for the DSP's own login.
    static func staleKeysWarning(_ session: PostgresSession, directory: String) throws(StoreError) -> String? {
        let folder = VaultFolder(directory: directory)
        guard folder.holdsPrivateFiles,
              try session.value("select anchordesk.is_administrator()", as: Bool.self) != true
        else { return nil }
        return "this machine holds private keys of the DCC in \(DisplaySafeText.sanitize(folder.path))/\(VaultFolder.privateFolder), "
            + "a copy from before schema version 5; only the DSP's hosts need them: delete that folder"
    }

    /// Refuses any login but the DSP's (the store's administrator): the others only read, and
    /// act through the DSP, which decides.
    static func requireDSP(_ session: PostgresSession) throws(StoreError) {
        guard try session.value("select anchordesk.is_administrator()", as: Bool.self) != true else { return }
        let login = DisplaySafeText.sanitize(session.location.login)
        throw StoreError(code: .notAuthorised,
                         message: "login '\(login)' reads this store but may not write it: only the DSP writes; "
                             + "send requests through the DSP's operator API (--store https://HOST:PORT); nothing was written",
                         path: session.location.shown)
    }

    /// Refuses a login that is not the store's administrator (the schema's owner).
    static func requireAdministrator(_ session: PostgresSession, to action: String) throws(StoreError) {
        guard try session.value("select anchordesk.is_administrator()", as: Bool.self) != true else { return }
        throw StoreError(code: .notAuthorised,
                         message: "only the store's administrator (the login that created it) may \(action)",
                         path: session.location.shown)
    }
}

extension PostgresStore {
    /// Lets `login` act for `organisation` (`anchordesk operator grant`); administrators only.
    public func grant(login: String, organisation: String) throws(StoreError) {
        try withAdministratorSession(to: "grant organisations") { session throws(StoreError) in
            try session.run("select anchordesk.grant_operator(\(login), \(organisation))")
        }
    }

    /// Stops `login` acting for `organisation` (`anchordesk operator revoke`); administrators only.
    /// - Returns: whether there was such a grant.
    public func revoke(login: String, organisation: String) throws(StoreError) -> Bool {
        try withAdministratorSession(to: "revoke organisations") { session throws(StoreError) in
            try session.value("select anchordesk.revoke_operator(\(login), \(organisation))", as: Bool.self) ?? false
        }
    }

    /// Runs `body` on a session of the store's administrator (refusing anyone else) in a
    /// database of this build's schema version.
    func withAdministratorSession<Value>(to action: String, _ body: (PostgresSession) throws(StoreError) -> Value) throws(StoreError) -> Value {
        let (session, _) = try connect()
        defer { session.close() }
        try PostgresMigrations.check(session)
        try PostgresOperator.requireAdministrator(session, to: action)
        return try body(session)
    }

    /// Every grant, by login then organisation (`anchordesk operator list`).
    public func grants() throws(StoreError) -> [OperatorGrant] {
        let (session, _) = try connect()
        defer { session.close() }
        try PostgresMigrations.check(session)
        return try session.rows("select login, organisation, granted_by from anchordesk.operator_grants order by login, organisation") {
            let (login, organisation, by) = try $0.decode((String, String, String).self)
            return OperatorGrant(login: login, organisation: organisation, grantedBy: by)
        }
    }
}
