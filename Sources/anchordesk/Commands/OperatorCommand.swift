import AnchorCore
import AnchorPostgres
import AnchorStore
import ArgumentParser

/// `anchordesk operator grant|revoke|list`: which PostgreSQL logins may act for which organisations.
struct OperatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator", abstract: "Grant, revoke or list the organisations each PostgreSQL login may act for.",
        discussion: "PostgreSQL stores only; the database enforces the grants for every client, psql included. Granting and revoking take the store's administrator (the login that created it).",
        subcommands: [Grant.self, Revoke.self, List.self])

    /// `operator grant LOGIN ORG`.
    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a login act for an organisation.")

        @OptionGroup var options: CommonOptions
        @Argument(help: "The PostgreSQL login.") var login: String
        @Argument(help: "The organisation ID.") var organisation: String

        func run() throws {
            let store = try OperatorCommand.postgres(options)
            try OperatorCommand.requireKnown(organisation, options: options)
            do {
                try store.grant(login: login, organisation: organisation)
            } catch {
                throw CLIFailure(error)
            }
            options.emit(.object([("login", .string(login)), ("organisation", .string(organisation)), ("granted", .bool(true))]),
                         human: { ["\(Presentation.safe(login)) may now act for \(Presentation.safe(organisation))"] })
        }
    }

    /// `operator revoke LOGIN ORG`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a login acting for an organisation.")

        @OptionGroup var options: CommonOptions
        @Argument(help: "The PostgreSQL login.") var login: String
        @Argument(help: "The organisation ID.") var organisation: String

        func run() throws {
            let store = try OperatorCommand.postgres(options)
            let found: Bool
            do {
                found = try store.revoke(login: login, organisation: organisation)
            } catch {
                throw CLIFailure(error)
            }
            guard found else {
                throw CLIFailure.badInput("\(Presentation.safe(login)) was not granted \(Presentation.safe(organisation))", code: "not-granted")
            }
            options.emit(.object([("login", .string(login)), ("organisation", .string(organisation)), ("granted", .bool(false))]),
                         human: { ["\(Presentation.safe(login)) may no longer act for \(Presentation.safe(organisation))"] })
        }
    }

    /// `operator list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every grant.")

        @OptionGroup var options: CommonOptions

        func run() throws {
            let store = try OperatorCommand.postgres(options)
            let grants: [OperatorGrant]
            do {
                grants = try store.grants()
            } catch {
                throw CLIFailure(error)
            }
            options.emit(.array(grants.map { grant in
                .object([("login", .string(grant.login)), ("organisation", .string(grant.organisation)), ("grantedBy", .string(grant.grantedBy))])
            }), human: {
                TextTable(headers: ["LOGIN", "ORGANISATION", "GRANTED BY"],
                          rows: grants.map { [Presentation.safe($0.login), Presentation.safe($0.organisation), Presentation.safe($0.grantedBy)] }).lines()
            })
        }
    }

    /// The PostgreSQL store the options name; a directory has one operator and no grants.
    static func postgres(_ options: CommonOptions) throws(CLIFailure) -> PostgresStore {
        guard let store = try options.postgresStore() else {
            throw CLIFailure.badInput("operators belong to PostgreSQL stores (--store postgresql://…); a store directory has one operator, whoever can open it",
                                      code: "not-postgresql")
        }
        return store
    }

    /// Refuses an organisation the store does not know.
    static func requireKnown(_ organisation: String, options: CommonOptions) throws(CLIFailure) {
        let store = try options.openForReading()
        defer { store.close() }
        _ = try Arguments.organisation(organisation, in: store.estate.ledger)
    }
}
