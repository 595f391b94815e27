import AnchorCore
import AnchorPostgres
import AnchorStore
import ArgumentParser
import Foundation

/// `anchordesk store copy --from SRC --to DST`: a store moved between backends, history and all.
struct StoreCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a store, its logs, audit chain and the DCC's keys, between a directory and PostgreSQL (either way).",
        discussion: "The copy holds every record the source had when it was read, under the same sequences and audit hashes, so 'audit export' prints the same lines from both.")

    @Option(help: "The store to copy: a directory or postgresql://LOGIN@HOST[:PORT]/DATABASE.") var from: String
    @Option(help: "Where to put the copy: a directory or a PostgreSQL URL.") var to: String
    @Flag(help: "Replace a store already there.") var force = false
    @Flag(help: "Print one JSON document on stdout.") var json = false

    func run() throws {
        let lockTimeout = try CommonOptions.lockTimeout()
        let source = try CommonOptions.backend(named: from)
        let target = try CommonOptions.backend(named: to)
        guard source.directory != target.directory else {
            throw CLIFailure.badInput("--from and --to name the same store (\(Presentation.safe(source.shown)))", code: "same-store")
        }
        let store: Store
        do {
            store = try source.open(access: .readOnly)
            for warning in store.warnings { Console.warn(warning) }
        } catch {
            throw CLIFailure(error)
        }
        defer { store.close() }
        do {
            try target.create(with: store.estate, audit: store.auditTrail, lastSequence: store.lastSequence, replacingExisting: force)
            try Self.copyKeys(from: source.directory, to: target.directory)
            if let postgres = target as? PostgresStore { try postgres.publishCertificates(lockTimeout: lockTimeout) }
        } catch {
            throw CLIFailure(error)
        }
        let summary = "copied \(Presentation.safe(source.shown)) to \(Presentation.safe(target.shown)): \(store.estate.devices.count) devices, "
            + "\(store.estate.ledger.requests.count) requests, \(store.auditTrail.count) audit entries, up to record \(store.lastSequence)"
        if json {
            Console.out(JSONValue.object([
                ("from", .string(source.shown)), ("to", .string(target.shown)), ("devices", .integer(store.estate.devices.count)),
                ("requests", .integer(store.estate.ledger.requests.count)), ("auditEntries", .integer(store.auditTrail.count)),
                ("lastSequence", .string(String(store.lastSequence))),
            ]).rendered())
        } else {
            Console.out(summary)
        }
    }

    /// The DCC's keys go with the store; a demo store's User keys folder too, recorded at its new place.
    static func copyKeys(from source: String, to target: String) throws(StoreError) {
        let files = FileManager.default
        let vaultSource = Store.path(source, CredentialVault.folderName)
        guard files.fileExists(atPath: vaultSource) else { return }
        let vaultTarget = Store.path(target, CredentialVault.folderName)
        do {
            try? files.removeItem(atPath: vaultTarget)
            try files.copyItem(atPath: vaultSource, toPath: vaultTarget)
        } catch {
            throw StoreError(code: .io, message: "could not copy the DCC's keys: \(Presentation.safe(error.localizedDescription))", path: vaultTarget)
        }
        let sourceVault = CredentialVault(storeDirectory: source)
        guard let demoKeys = try sourceVault.demoUserKeys(), demoKeys.path == Store.path(source, UserKeyDirectory.demoFolderName) else { return }
        let keysTarget = Store.path(target, UserKeyDirectory.demoFolderName)
        do {
            try? files.removeItem(atPath: keysTarget)
            try files.copyItem(atPath: demoKeys.path, toPath: keysTarget)
        } catch {
            throw StoreError(code: .io, message: "could not copy the demo Users' keys: \(Presentation.safe(error.localizedDescription))", path: keysTarget)
        }
        try CredentialVault(storeDirectory: target).recordDemoUserKeys(UserKeyDirectory(path: keysTarget))
    }
}

/// `anchordesk store migrate`: brings a PostgreSQL store's schema to this build's version.
struct StoreMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring a PostgreSQL store's schema up to this build's version (administrator); a store directory needs none.")

    @OptionGroup var options: CommonOptions

    func run() throws {
        guard let store = try options.postgresStore() else {
            let directory = try options.backend()
            do throws(StoreError) {
                guard try directory.exists() else { throw StoreError.noStore(at: directory.shown) }
            } catch {
                throw CLIFailure(error)
            }
            options.emit(.object([("migrated", .bool(false))]), human: {
                ["nothing to migrate: a store directory's files carry their schema version and are upgraded when next written"]
            })
            return
        }
        let migration: PostgresMigration
        do {
            migration = try store.migrate()
        } catch {
            throw CLIFailure(error)
        }
        options.emit(.object([
            ("from", .integer(migration.from)), ("to", .integer(migration.to)),
            ("keysMovedTo", .optional(migration.keysMovedTo)), ("keysMoved", .integer(migration.keysMoved)),
        ]), human: {
            var lines = [migration.from == migration.to ? "schema version \(migration.to): already current"
                : "migrated the schema from version \(migration.from) to \(migration.to)"]
            if let keys = migration.keysMovedTo {
                lines.append("moved the DCC's \(migration.keysMoved) private key files out of the database into \(Presentation.safe(keys)) "
                    + "(0600): this is now the DSP's host; other hosts that write need a copy, or the keys in a token")
            }
            return lines
        })
    }
}
