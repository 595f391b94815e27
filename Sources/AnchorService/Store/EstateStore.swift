import AnchorCore
import AnchorStore
import Foundation
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
    /// The estate's certificates and the keys the DSP holds: the DCC's own, and those of the
    /// Users whose key directory (`userKeys`) it was given.
    /// - Throws: ``AnchorStore/StoreError`` when they cannot be read or completed.
    func credentials(for ledger: Ledger, userKeys: String?, validFrom: Date) throws(StoreError) -> EstateCredentials
}

extension EstateStore {
    /// The credential vault in ``keyDirectory``, which makes keys and certificates for anything new in the ledger.
    public func credentials(for ledger: Ledger, userKeys: String?, validFrom: Date) throws(StoreError) -> EstateCredentials {
        try CredentialVault(storeDirectory: keyDirectory, userKeys: userKeys).credentials(for: ledger, validFrom: validFrom)
    }
}

/// One writer's session: the estate it decides on, and the way changes become durable.
///
/// Nothing staged may be reported before ``flush()`` returns; after a failed write the
/// writer refuses further work and must be closed.
public protocol EstateWriter: AnyObject {
    /// Things the user should know about the open (a torn tail that was cut, loose permissions).
    var warnings: [String] { get }
    /// The estate with every change this writer committed or staged applied.
    var estate: Estate { get }
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

extension Store: EstateWriter {
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

    public func openWriter(lockTimeout: Duration) throws(StoreError) -> any EstateWriter {
        try backend.open(access: .readWrite(lockTimeout: lockTimeout))
    }
}
