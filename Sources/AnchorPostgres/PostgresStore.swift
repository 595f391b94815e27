import AnchorCore
import AnchorStore
import Foundation
import NIOConcurrencyHelpers
import PostgresNIO

/// A store in a PostgreSQL database: the records are the database's, each committed in one
/// transaction. Writers decide per device (``PostgresEstateStore``); for reading, this machine
/// keeps a copy of the records in a local store directory that it brings up to date before
/// every open (``PostgresLocalCopy``).
public final class PostgresStore: StoreBackend, @unchecked Sendable {
    /// The database.
    public let location: PostgresLocation
    /// The local directory: the DCC's keys (`smki/`) and the copy of the records.
    public let directory: String
    private let environment: [String: String]
    private let listener = NIOLockedValueBox<PostgresChangeListener?>(nil)
    private let devicePages: PostgresDevicePages

    /// The store at a URL, with the local directory the environment names.
    public init(location: PostgresLocation, environment: [String: String]) {
        self.location = location
        self.environment = environment
        directory = location.localDirectory(environment: environment)
        devicePages = PostgresDevicePages(shown: location.shown) { () throws(StoreError) in
            try Self.connectAsOperator(to: location, environment: environment)
        }
    }

    public var shown: String { location.shown }

    /// Connects as the URL's login, and checks the server keeps what it acknowledges.
    /// - Returns: the session and any warning about the server's settings.
    func connect() throws(StoreError) -> (PostgresSession, [String]) {
        try Self.connect(to: location, environment: environment)
    }

    private static func connect(to location: PostgresLocation, environment: [String: String]) throws(StoreError) -> (PostgresSession, [String]) {
        let session = try PostgresSession.connect(to: location, environment: environment)
        do throws(StoreError) {
            return (session, try PostgresServerSettings.check(session))
        } catch {
            session.close()
            throw error
        }
    }

    /// Connects as an operator reads or writes the store: ``connect()``, then the schema is
    /// this build's and the login is granted at least one organisation.
    func connectAsOperator() throws(StoreError) -> (PostgresSession, [String]) {
        try Self.connectAsOperator(to: location, environment: environment)
    }

    private static func connectAsOperator(to location: PostgresLocation, environment: [String: String]) throws(StoreError) -> (PostgresSession, [String]) {
        let (session, warnings) = try connect(to: location, environment: environment)
        do throws(StoreError) {
            try PostgresMigrations.check(session)
            try PostgresOperator.requireAnyGrant(session)
            let stale = try PostgresOperator.staleKeysWarning(session, directory: location.localDirectory(environment: environment))
            return (session, warnings + (stale.map { [$0] } ?? []))
        } catch {
            session.close()
            throw error
        }
    }

    public func exists() throws(StoreError) -> Bool {
        let (session, _) = try connect()
        defer { session.close() }
        return try PostgresMigrations.version(in: session) != nil
    }

    public func create(with estate: Estate, audit: AuditTrail?, lastSequence: UInt64, replacingExisting: Bool) throws(StoreError) {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try DirectoryStore(directory: scratch.path).create(with: estate, audit: audit, lastSequence: lastSequence, replacingExisting: true)
        let snapshot = try AtomicFile.read(path: Store.path(scratch.path, Store.snapshotName))
        let lastHash = audit?.last?.hash ?? .genesis
        let (session, _) = try connect()
        defer { session.close() }
        if try PostgresMigrations.version(in: session) != nil {
            guard replacingExisting else {
                throw StoreError(code: .alreadyExists, message: "an AnchorDesk store already exists in this database; use --force to replace it",
                                 path: location.shown)
            }
            try session.run("drop schema anchordesk cascade")
        }
        try PostgresMigrations.migrate(session)
        let storeID = UUID().uuidString.lowercased()
        try session.run("begin")
        do throws(StoreError) {
            try PostgresSnapshot.upload(snapshot, generation: 1, over: session)
            try session.run("""
                insert into anchordesk.head (store_id, last_sequence, last_hash, snapshot_generation, snapshot_sequence)
                values (\(storeID), \(String(lastSequence))::numeric, \(lastHash.description), 1, \(String(lastSequence))::numeric)
                """)
            try PostgresDeviceTable.fill(estate, lastSequence: lastSequence, over: session)
            try session.run("commit")
        } catch {
            try? session.run("rollback")
            throw error
        }
        // Vacuumed once filled, so the index-only reads of the reports (schema version 6) need not
        // visit the rows to learn that every one is visible, until autovacuum would have got to them.
        // The store is made by now: a vacuum that cannot have its lock soon, or fails, is left to autovacuum.
        try? session.run("set lock_timeout to '5s'")
        try? session.run("vacuum anchordesk.devices, anchordesk.device_history", timeout: PostgresSession.bulkAnswerTimeout)
        try PostgresLocalCopy(directory: directory).restart(storeID: storeID, snapshot: snapshot)
    }

    public func open(access: Store.Access) throws(StoreError) -> Store {
        let (session, warnings) = try connectAsOperator()
        do throws(StoreError) {
            let copy = PostgresLocalCopy(directory: directory)
            let store: Store
            switch access {
            case .readOnly:
                try copy.bringUpToDate(from: session, lockTimeout: .milliseconds(500), required: false)
                session.close()
                store = try Store.open(at: directory, access: .readOnly)
            case .readWrite:
                throw StoreError.invalidArgument(
                    "a PostgreSQL store is written by deciding per device (PostgresEstateStore), not through a copy of its files",
                    path: location.shown)
            }
            store.adjustWarnings(adding: warnings, dropping: StoreCopy.isAboutLogIndex)
            return store
        } catch {
            session.close()
            throw error
        }
    }

    /// The last sequence a `NOTIFY` announced (a listening connection, opened on first use):
    /// it changes within moments of any operator's commit, and asking costs nothing.
    public func changeToken() -> String {
        listener.withLockedValue { listener in
            if listener == nil { listener = PostgresChangeListener(location: location, environment: environment) }
            return listener!.token
        }
    }

    /// Applies missing migrations (`anchordesk store migrate`); administrators only. The device
    /// table (version 2) is filled from the records, with the writer lock held so no record is
    /// committed meanwhile; the DCC's private keys a database before version 5 holds are moved
    /// to this machine's directory (``directory``), checked there, and only then deleted from the
    /// database, in the same transaction.
    public func migrate() throws(StoreError) -> PostgresMigration {
        let (session, _) = try connect()
        defer { session.close() }
        guard let version = try PostgresMigrations.version(in: session) else {
            try PostgresMigrations.check(session)
            return PostgresMigration(from: 0, to: 0)
        }
        if version < PostgresSchema.currentVersion { try PostgresOperator.requireAdministrator(session, to: "migrate the schema") }
        try PostgresWriterLock.acquire(session, timeout: .seconds(30))
        var keysMoved = 0
        let directory = directory
        let versions = try PostgresMigrations.migrate(session, moveKeysOut: { session throws(StoreError) in
            keysMoved = try PostgresVault.moveKeysOut(to: directory, over: session)
        }, fillDevices: { session throws(StoreError) in
            let scratch = try Scratch()
            defer { scratch.remove() }
            try PostgresLocalCopy(directory: scratch.path).bringUpToDate(from: session, lockTimeout: .seconds(1), required: true, keys: false)
            let store = try Store.open(at: scratch.path, access: .readOnly)
            defer { store.close() }
            try PostgresDeviceTable.fill(store.estate, lastSequence: store.lastSequence, over: session)
        })
        return PostgresMigration(from: versions.from, to: versions.to,
                                 keysMovedTo: keysMoved > 0 ? CredentialVault(storeDirectory: directory).path + "/" + VaultFolder.privateFolder : nil,
                                 keysMoved: keysMoved)
    }
}

/// What `store migrate` did.
public struct PostgresMigration: Sendable, Equatable {
    /// The schema version before.
    public var from: Int
    /// The schema version after.
    public var to: Int
    /// Where the DCC's private keys went when the migration took them out of the database.
    public var keysMovedTo: String?
    /// How many private files it moved.
    public var keysMoved = 0
}

/// A private scratch directory, removed with everything in it.
struct Scratch {
    let path: String

    init() throws(StoreError) {
        var template = Array((NSTemporaryDirectory() + "/anchordesk-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw StoreError.system(errno, operation: "could not make a scratch directory", path: NSTemporaryDirectory())
        }
        path = String(cString: made)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension PostgresStore {
    /// Runs `body` on a complete copy made afresh from the database in a private scratch
    /// directory (removed afterwards): for checks that must read what the database holds now,
    /// not what this machine copied earlier (`audit verify`, `store check`).
    public func withFreshCopy<Value>(_ body: (String) throws -> Value) throws -> Value {
        let (session, _) = try connectAsOperator()
        let scratch: Scratch
        do {
            defer { session.close() }
            scratch = try Scratch()
            try PostgresLocalCopy(directory: scratch.path).bringUpToDate(from: session, lockTimeout: .seconds(1), required: true, keys: false)
        }
        defer { scratch.remove() }
        return try body(scratch.path)
    }
}

extension PostgresStore: DevicePaging {
    public var warnings: [String] { devicePages.warnings }

    public func deviceCount() throws(StoreError) -> Int { try devicePages.deviceCount() }

    public func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort, limit: Int) throws(StoreError) -> DevicePage {
        try devicePages.page(start, filter: filter, sort: sort, limit: limit)
    }

    public func holdings() throws(StoreError) -> [String: Int] { try devicePages.holdings() }

    public func hasDueAlertWork(at now: Timestamp) throws(StoreError) -> Bool { try devicePages.hasDueAlertWork(at: now) }
}
