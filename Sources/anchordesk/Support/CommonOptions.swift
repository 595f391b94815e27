import AnchorCore
import AnchorPostgres
import AnchorStore
import ArgumentParser
import Foundation
import GPFSimulator

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(help: "The store: a directory, or postgresql://LOGIN@HOST[:PORT]/DATABASE (default: $ANCHORDESK_STORE, else $XDG_DATA_HOME/anchordesk).")
    var store: String?

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    /// The store these options name: `--store`, else `$ANCHORDESK_STORE`, else the default directory.
    var storeText: String {
        StoreLocation.resolve(option: store, environment: ProcessInfo.processInfo.environment)
    }

    /// The backend these options name: a directory, or a PostgreSQL database.
    /// - Throws: a malformed URL (exit 2).
    func backend() throws(CLIFailure) -> any StoreBackend {
        try Self.backend(named: storeText)
    }

    /// The backend a `--store` value names.
    static func backend(named text: String) throws(CLIFailure) -> any StoreBackend {
        guard PostgresLocation.isURL(text) else { return DirectoryStore(directory: text) }
        do {
            return PostgresStore(location: try PostgresLocation(url: text), environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIFailure(error)
        }
    }

    /// The PostgreSQL store these options name, or `nil` for a directory.
    func postgresStore() throws(CLIFailure) -> PostgresStore? {
        try backend() as? PostgresStore
    }

    /// The local directory: the store itself, or a PostgreSQL store's keys and local copy.
    var storeDirectory: String {
        (try? backend().directory) ?? storeText
    }

    /// After a change to the DCC's keys (`cert import`): a PostgreSQL store keeps them in the
    /// database for every machine, so the change goes there too (the administrator's to make).
    func publishKeysIfShared() throws(CLIFailure) {
        guard let postgres = try postgresStore() else { return }
        do {
            try postgres.publishKeys()
        } catch {
            throw CLIFailure(error)
        }
    }

    /// Runs a check that reads a store's files on a directory holding what the store holds now:
    /// the store directory, or a fresh copy of a PostgreSQL store's records.
    func withFilesToCheck<Value>(_ check: (String) throws -> Value) throws -> Value {
        guard let postgres = try postgresStore() else { return try check(storeDirectory) }
        return try postgres.withFreshCopy(check)
    }

    /// Opens the store for reading, printing its warnings.
    func openForReading() throws(CLIFailure) -> Store {
        let backend = try backend()
        do {
            let store = try backend.open(access: .readOnly)
            for warning in store.warnings { Console.warn(warning) }
            return store
        } catch {
            throw CLIFailure(error)
        }
    }

    /// Opens the store for writing; waits `$ANCHORDESK_LOCK_TIMEOUT` seconds (default 2) for the lock.
    /// Then, as every writer does, lets the devices' clocks reach now: due future-dated commands
    /// execute and their alerts are processed (see ``AlertProcessing``) before anything else.
    /// - Parameter processingAlerts: `false` only for `alerts process`, which reports the processing itself.
    func openForWriting(keys: String? = KeyOptions.environmentDirectory, processingAlerts: Bool = true) throws(CLIFailure) -> Store {
        let seconds = ProcessInfo.processInfo.environment["ANCHORDESK_LOCK_TIMEOUT"].flatMap(Double.init) ?? 2
        let backend = try backend()
        let store: Store
        do {
            store = try backend.open(access: .readWrite(lockTimeout: .milliseconds(Int(seconds * 1000))))
            for warning in store.warnings { Console.warn(warning) }
        } catch {
            throw CLIFailure(error)
        }
        do {
            if processingAlerts {
                let report = try AlertProcessing.run(store, options: self, keys: keys)
                if !report.isEmpty { Console.note(report.summary) }
            }
        } catch {
            store.close()
            throw error
        }
        return store
    }

    /// The time to stamp on requests: `$ANCHORDESK_NOW` (ISO 8601, for reproducible demos and tests) or the clock.
    func now() throws(CLIFailure) -> Timestamp {
        if let fixed = ProcessInfo.processInfo.environment["ANCHORDESK_NOW"], !fixed.isEmpty {
            guard let timestamp = Timestamp(iso8601: fixed) else {
                throw .badInput("ANCHORDESK_NOW '\(DisplaySafeText.sanitize(fixed))' is not YYYY-MM-DDTHH:MM:SSZ")
            }
            return timestamp
        }
        return Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970))
    }

    /// The threads a bulk run evaluates requests on: `$ANCHORDESK_WORKERS`, else one per core.
    func workers() throws(CLIFailure) -> Int {
        try Self.workers(environment: ProcessInfo.processInfo.environment)
    }

    /// As ``workers()``, from a given environment (the console's).
    static func workers(environment: [String: String]) throws(CLIFailure) -> Int {
        guard let workers = Speculation.workers(environment: environment) else {
            throw .badInput("ANCHORDESK_WORKERS '\(DisplaySafeText.sanitize(environment["ANCHORDESK_WORKERS"] ?? ""))' is not a number from 1 to \(Speculation.maximumWorkers)")
        }
        return workers
    }

    /// Prints a JSON document or human lines, as asked.
    func emit(_ document: @autoclosure () -> JSONValue, human: () -> [String]) {
        if json {
            Console.out(document().rendered())
        } else {
            for line in human() { Console.out(line) }
        }
    }
}
