import AnchorCore
import AnchorPostgres
import AnchorService
import AnchorStore
import ArgumentParser
import Foundation
import GPFSimulator
import OperatorClient
import SMKI

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(help: "The store: a directory, or postgresql://LOGIN@HOST[:PORT]/DATABASE (default: $ANCHORDESK_STORE, else $XDG_DATA_HOME/anchordesk).")
    var store: String?

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    @OptionGroup var operatorConnection: OperatorConnectionOptions

    /// The store these options name: `--store`, else `$ANCHORDESK_STORE`, else the default directory.
    var storeText: String {
        StoreLocation.resolve(option: store, environment: ProcessInfo.processInfo.environment)
    }

    /// The backend these options name: a directory, or a PostgreSQL database.
    /// - Throws: a malformed URL (exit 2).
    func backend() throws(CLIFailure) -> any StoreBackend {
        try Self.backend(named: storeText)
    }

    /// The DSP's operator API, when the store these options name is one (`https://HOST:PORT`).
    func operatorAPI() throws(CLIFailure) -> OperatorConnection? {
        let text = storeText
        guard OperatorConnectionOptions.isOperatorAPI(text) else { return nil }
        return try operatorConnection.connect(to: text)
    }

    /// The backend a `--store` value names.
    /// - Throws: exit 2 for a malformed URL, or a DSP's operator API (only the commands that
    ///   work through it ask for it, with ``operatorAPI()``).
    static func backend(named text: String) throws(CLIFailure) -> any StoreBackend {
        if OperatorConnectionOptions.isOperatorAPI(text) {
            throw CLIFailure.badInput(
                "this command does not work through a DSP's operator API yet; through --store https://… there are the console, 'devices', 'device show', 'counters', 'requests', 'audit verify', 'audit export', 'request 6.15.1', 'request 6.21', 'bulk 6.15.1', 'report', 'orgs', 'org show|subscribe|cease [--hand-back]|revoke', 'alerts list|pending', 'cert show', 'recovery' and 'whoami'",
                code: "not-through-operator-api")
        }
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

    /// Changes the DCC's keys (`cert import`). A PostgreSQL store keeps them in the database
    /// for every machine: there the change is its administrator's to make, checked before the
    /// local folder is touched, and goes to the database after.
    func changeKeys(_ change: () throws(StoreError) -> Void) throws(CLIFailure) {
        let postgres = try postgresStore()
        let lockTimeout = try Self.lockTimeout()
        do throws(StoreError) {
            if let postgres {
                try postgres.changeKeys(lockTimeout: lockTimeout, change)
            } else {
                try change()
            }
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

    /// Opens the store for reading, printing its warnings; the process's exit frees a store
    /// directory's (``ExitReclaims``).
    func openForReading() throws(CLIFailure) -> Store {
        let backend = try backend()
        do {
            let store = try backend.open(access: .readOnly)
            for warning in store.warnings { Console.warn(warning) }
            if backend is DirectoryStore { ExitReclaims.keep(store) }
            return store
        } catch {
            throw CLIFailure(error)
        }
    }

    /// The DSP's use cases over the store these options name (``AnchorService/EstateService``):
    /// the clock from `$ANCHORDESK_NOW`, the lock timeout from `$ANCHORDESK_LOCK_TIMEOUT` (seconds,
    /// default 2), the workers from `$ANCHORDESK_WORKERS`, and the Users' keys from `keys`.
    func service(keys: String? = KeyOptions.environmentDirectory) throws(CLIFailure) -> EstateService {
        let settings = ServiceSettings(userKeys: keys, keyToken: try Self.keyToken(), lockTimeout: try Self.lockTimeout(), workers: try workers())
        return EstateService(store: Self.estateStore(for: try backend()), clock: try clock(), settings: settings)
    }

    /// The PKCS#11 token holding the DCC's keys that `$ANCHORDESK_PKCS11_MODULE`,
    /// `$ANCHORDESK_PKCS11_TOKEN` and `$ANCHORDESK_PKCS11_PIN_FILE` name, if they do.
    static func keyToken() throws(CLIFailure) -> PKCS11Settings? {
        do {
            return try PKCS11Settings.fromEnvironment()
        } catch {
            throw CLIFailure(error)
        }
    }

    /// How long a writer waits for a lock another process holds: `$ANCHORDESK_LOCK_TIMEOUT`
    /// seconds (0 to 2,147,483), or `defaultSeconds`.
    static func lockTimeout(defaultSeconds: Double = 2) throws(CLIFailure) -> Duration {
        guard let text = ProcessInfo.processInfo.environment["ANCHORDESK_LOCK_TIMEOUT"], !text.isEmpty else {
            return .milliseconds(Int(defaultSeconds * 1000))
        }
        guard let seconds = Double(text), seconds.isFinite, (0...2_147_483).contains(seconds) else {
            throw CLIFailure.badInput("ANCHORDESK_LOCK_TIMEOUT '\(DisplaySafeText.sanitize(String(text.prefix(32))))' is not a number of seconds from 0 to 2147483",
                                      code: "bad-lock-timeout")
        }
        return .milliseconds(Int(seconds * 1000))
    }

    /// How the use cases reach a backend: a PostgreSQL store decides per device, a store
    /// directory holds its whole estate.
    static func estateStore(for backend: any StoreBackend) -> any EstateStore {
        (backend as? PostgresStore).map { PostgresEstateStore($0) } ?? BackendEstateStore(backend)
    }

    /// Opens the store for writing through the service, printing its warnings. Then, as every
    /// writer does, lets the devices' clocks reach now: due future-dated commands execute and
    /// their alerts are processed before anything else, with a summary on stderr.
    /// - Parameters:
    ///   - processingAlerts: `false` only for `alerts process`, which reports the processing itself.
    ///   - freedAtExit: leave a store directory's session for the process's exit to free
    ///     (``ExitReclaims``): for a command that ends when its work does, not a server.
    func openSession(
        keys: String? = KeyOptions.environmentDirectory, processingAlerts: Bool = true, freedAtExit: Bool = true
    ) throws(CLIFailure) -> ServiceSession {
        let service = try service(keys: keys)
        let session: ServiceSession
        do {
            session = try service.openSession(processingDueAlerts: false)
        } catch {
            throw CLIFailure(error)
        }
        for warning in session.warnings { Console.warn(warning) }
        if freedAtExit, try backend() is DirectoryStore { ExitReclaims.keep(session) }
        guard processingAlerts else { return session }
        do {
            let report = try session.deliverDueAlerts()
            if !report.isEmpty { Console.note(report.summary) }
        } catch {
            session.close()
            throw CLIFailure(error)
        }
        return session
    }

    /// A store directory opened for its own maintenance (compaction), through the service as
    /// every writer is; a PostgreSQL store is refused (exit 2).
    func openStoreForMaintenance(keys: String? = KeyOptions.environmentDirectory) throws(CLIFailure) -> (ServiceSession, Store) {
        let session = try openSession(keys: keys)
        guard let store = session.writer as? Store else {
            session.close()
            throw CLIFailure.badInput("\(Presentation.safe(session.service.store.shown)) is not a store directory: it keeps no journal to fold",
                                      code: "not-a-directory-store")
        }
        return (session, store)
    }

    /// The DSP's one clock: `$ANCHORDESK_NOW` (ISO 8601, for reproducible demos and tests) or the system clock.
    func clock() throws(CLIFailure) -> ServiceClock {
        do {
            return try ServiceClock.from(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIFailure(error)
        }
    }

    /// The time to stamp on what a command does, by ``clock()``.
    func now() throws(CLIFailure) -> Timestamp {
        try clock().now()
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
