import AnchorCore
import AnchorStore
import Foundation
import GPFSimulator
import SMKI

/// Where the DSP keeps the estate, at the level of what its use cases need: a writer that
/// decides on the estate and makes changes durable. The CLI, the console and the servers reach
/// it only through ``EstateService``.
public protocol EstateStore: Sendable {
    /// How the store is named to people: a path, or a URL without any password.
    var shown: String { get }
    /// The local directory that holds the DCC's keys (``AnchorStore/CredentialVault``).
    var keyDirectory: String { get }
    /// Opens the store's one writer; waits up to `lockTimeout` for another.
    /// - Throws: ``AnchorStore/StoreError``: `.notFound`, `.locked`, `.corrupt` and the rest.
    func openWriter(lockTimeout: Duration) throws(StoreError) -> any EstateWriter
    /// The estate's certificates and the keys the DSP holds: the DCC's own (in the PKCS#11 token
    /// `keyToken`, when one holds them), and those of the Users whose key directory (`userKeys`)
    /// it was given.
    /// - Throws: ``AnchorStore/StoreError`` when they cannot be read or completed.
    func credentials(for ledger: Ledger, userKeys: String?, keyToken: PKCS11Settings?, validFrom: Date) throws(StoreError) -> EstateCredentials
    /// Reads what a report reads, in parts, in device-ID order: each part holds the
    /// organisations, certificates, lifecycle log and last counters, and some of the devices
    /// `scope` names, with their histories; no device is in two parts. A store that holds its
    /// whole estate gives it as one part; a database gives a few thousand devices a part, and
    /// names counter-risk's unlogged GPFs apart (``ReportPart/unloggedACBHolders``).
    /// - Parameters:
    ///   - warn: called with what the user should know of the open, before any part.
    ///   - proceed: called once with the organisations, certificates, logs and last counters,
    ///     after `warn` and before any part; when it returns `false` nothing more is read.
    /// - Throws: ``AnchorStore/StoreError`` when the store cannot be read; parts given before stand.
    func readForReport(
        _ scope: ReportScope, warn: (String) -> Void, proceed: (Ledger) -> Bool, _ part: (ReportPart) -> Void
    ) throws(StoreError)
    /// The store's devices a page at a time, when it keeps them so (a database's device table);
    /// `nil` when pages are worked out from the estate a writer holds whole (``AnchorStore/EstatePages``).
    var paging: (any DevicePaging)? { get }
    /// Something that changes whenever any writer commits; cheap enough to ask every moment.
    func changeToken() -> String
    /// Runs `read` on a directory holding the store's files as they are now: the store directory
    /// itself, or a fresh copy of a database's records made for it and removed after. For what
    /// reads the files whole (the audit check, the whole request log), never while writing.
    func withStoreFiles<Value>(_ read: (String) throws -> Value) throws -> Value
}

extension EstateStore {
    /// The credential vault in ``keyDirectory``, which makes keys and certificates for anything new in the ledger.
    public func credentials(for ledger: Ledger, userKeys: String?, keyToken: PKCS11Settings?, validFrom: Date) throws(StoreError) -> EstateCredentials {
        try CredentialVault(storeDirectory: keyDirectory, userKeys: userKeys).credentials(for: ledger, validFrom: validFrom, keyToken: keyToken)
    }
}

/// One writer's session: the estate it decides on, and the way changes become durable.
///
/// Nothing staged may be reported before ``flush()`` returns; after a failed write the
/// writer refuses further work and must be closed.
public protocol EstateWriter: AnyObject {
    /// Things the user should know about the open (a torn tail that was cut, loose permissions).
    var warnings: [String] { get }
    /// The estate with every change this writer committed or staged applied: all of it for a
    /// store that holds the whole estate, or the part ``prepare(devices:counterOwners:)`` read.
    var estate: Estate { get }
    /// Makes ``estate`` hold what decisions about `devices` read, kept from other writers until
    /// the next ``flush()`` or commit: the devices' state and history, and the last counters of
    /// `counterOwners` (the organisations whose counters the decisions use).
    /// - Throws: `.locked` when another writer holds one of them past the lock timeout.
    func prepare(devices: [EUI64], counterOwners: [String]) throws(StoreError)
    /// Lets go of what ``prepare(devices:counterOwners:)`` holds after a decision that wrote
    /// nothing (a refusal before the device, a pre-command); call only with nothing staged.
    func release()
    /// The devices `filter` selects, estate-wide, in store order, with the organisations,
    /// certificates and those devices' recorded counters.
    func selection(_ filter: DeviceFilter) throws(StoreError) -> Estate
    /// Whether the DCC knows of a future-dated command the device holds (its acknowledgement
    /// logged, its alert not yet processed), for a device of the last ``selection(_:)``.
    func hasScheduledCommand(_ device: EUI64) -> Bool
    /// A device the store holds one slip of the keyboard away from `id` (``AnchorCore/EUI64/nearMisses``),
    /// for an unknown device's "did you mean"; a few lookups by ID, never a pass over the devices.
    func nearMiss(of id: EUI64) throws(StoreError) -> EUI64?
    /// How many devices hold any of an organisation's certificates in any cell.
    func devicesHolding(certificatesOf organisation: String) throws(StoreError) -> Int
    /// The devices whose held command is due at `now`, and the devices whose alerts arrived
    /// and are not yet processed.
    func dueAlertWork(at now: Timestamp) throws(StoreError) -> (due: [EUI64], waiting: [EUI64])
    /// Applies a request's change now and holds its record until ``flush()``.
    func stage(_ change: EstateChange) throws(StoreError)
    /// Applies an alert's arrival now and holds its record until ``flush()``.
    func stage(_ arrival: AlertArrival) throws(StoreError)
    /// Applies a processed alert now and holds its record until ``flush()``.
    func stage(_ change: ScheduleChange) throws(StoreError)
    /// Makes every staged record durable at once (one `fsync`, or one transaction).
    func flush() throws(StoreError)
    /// Makes a request's change durable, then applies it.
    func commit(_ change: EstateChange) throws(StoreError)
    /// Makes a lifecycle action durable, then applies it.
    func commit(_ change: LifecycleChange) throws(StoreError)
    /// Folds what was written into the store's compact form when that is due.
    /// - Returns: whether it did.
    func compactIfDue() throws(StoreError) -> Bool
    /// Ends the session and releases what it holds (locks, connections).
    func close()
}

/// A writer that holds the whole estate: nothing to prepare, and every question answered from it.
public protocol WholeEstateWriter: EstateWriter {}

extension WholeEstateWriter {
    public func prepare(devices: [EUI64], counterOwners: [String]) throws(StoreError) {}

    public func release() {}

    public func selection(_ filter: DeviceFilter) throws(StoreError) -> Estate {
        let estate = estate
        return Estate(ledger: estate.ledger, devices: DeviceTable(estate.devices(matching: filter)))
    }

    public func hasScheduledCommand(_ device: EUI64) -> Bool {
        estate.ledger.pendingCommand(for: device) != nil
    }

    public func nearMiss(of id: EUI64) throws(StoreError) -> EUI64? {
        estate.devices.nearMiss(of: id)
    }

    public func devicesHolding(certificatesOf organisation: String) throws(StoreError) -> Int {
        estate.devicesHoldingCertificates(of: organisation).count
    }

    public func dueAlertWork(at now: Timestamp) throws(StoreError) -> (due: [EUI64], waiting: [EUI64]) {
        let estate = estate
        return (estate.devicesWithDueCommands(at: now), Array(Set(estate.ledger.unprocessedAlerts.map(\.device))).sorted())
    }
}

extension Store: WholeEstateWriter {
    public func compactIfDue() throws(StoreError) -> Bool {
        try compactIfJournalIsLarge()
    }
}

/// A store behind a ``AnchorStore/StoreBackend`` (a store directory, or a PostgreSQL database
/// with this machine's copy of its records): every writer holds the whole estate.
public struct BackendEstateStore: EstateStore {
    /// The backend.
    public let backend: any StoreBackend

    /// The store behind `backend`.
    public init(_ backend: any StoreBackend) {
        self.backend = backend
    }

    public var shown: String { backend.shown }

    public var keyDirectory: String { backend.directory }

    public var paging: (any DevicePaging)? { nil }

    public func changeToken() -> String { backend.changeToken() }

    public func withStoreFiles<Value>(_ read: (String) throws -> Value) throws -> Value {
        try read(backend.directory)
    }

    public func openWriter(lockTimeout: Duration) throws(StoreError) -> any EstateWriter {
        try backend.open(access: .readWrite(lockTimeout: lockTimeout))
    }

    public func readForReport(
        _ scope: ReportScope, warn: (String) -> Void, proceed: (Ledger) -> Bool, _ part: (ReportPart) -> Void
    ) throws(StoreError) {
        let store = try backend.open(access: .readOnly)
        defer { store.close() }
        for warning in store.warnings { warn(warning) }
        guard proceed(store.estate.ledger) else { return }
        part(ReportPart(estate: store.estate))
    }
}
