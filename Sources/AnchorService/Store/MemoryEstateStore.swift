import AnchorCore
import AnchorStore
import Foundation
import SMKI

/// An estate kept in memory, for tests of the use cases: one writer at a time, changes
/// visible to the next writer once flushed, and credentials derived from the ledger
/// (``SMKI/DemoCredentialsCache``), so no file is touched.
public final class MemoryEstateStore: EstateStore, @unchecked Sendable {
    private let lock = NSLock()
    private let writerSlot = DispatchSemaphore(value: 1)
    private var current: Estate
    private var committed = 0
    /// Makes the next flush fail with this error, once (to test what a failed write leaves).
    public var failNextFlush: StoreError? {
        get { lock.withLock { pendingFailure } }
        set { lock.withLock { pendingFailure = newValue } }
    }
    private var pendingFailure: StoreError?

    /// A store holding `estate`.
    public init(_ estate: Estate) {
        current = estate
    }

    /// The estate as the last flush left it.
    public var estate: Estate { lock.withLock { current } }

    /// How many records have been made durable.
    public var committedRecords: Int { lock.withLock { committed } }

    public var shown: String { "memory" }

    public var keyDirectory: String { "/nonexistent/anchordesk-memory-store" }

    public var paging: (any DevicePaging)? { nil }

    /// The number of records made durable so far.
    public func changeToken() -> String { String(committedRecords) }

    /// Refused: a store held in memory has no files.
    public func withStoreFiles<Value>(_ read: (String) throws -> Value) throws -> Value {
        throw StoreError.invalidArgument("a store held in memory has no files to read")
    }

    public func openWriter(lockTimeout: Duration) throws(StoreError) -> any EstateWriter {
        let nanoseconds = lockTimeout.components.seconds * 1_000_000_000 + lockTimeout.components.attoseconds / 1_000_000_000
        guard writerSlot.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success else {
            throw StoreError(code: .locked, message: "another writer holds the memory store")
        }
        return MemoryEstateWriter(store: self, estate: estate)
    }

    public func credentials(for ledger: Ledger, userKeys: String?, keyToken: PKCS11Settings?, validFrom: Date) throws(StoreError) -> EstateCredentials {
        DemoCredentialsCache.credentials(for: ledger)
    }

    public func readForReport(
        _ scope: ReportScope, warn: (String) -> Void, proceed: (Ledger) -> Bool, _ part: (ReportPart) -> Void
    ) throws(StoreError) {
        let estate = estate
        guard proceed(estate.ledger) else { return }
        part(ReportPart(estate: estate))
    }

    /// Publishes a writer's estate, or fails as asked.
    fileprivate func publish(_ estate: Estate, records: Int) throws(StoreError) {
        lock.lock()
        defer { lock.unlock() }
        if let failure = pendingFailure {
            pendingFailure = nil
            throw failure
        }
        current = estate
        committed += records
    }

    fileprivate func release() {
        writerSlot.signal()
    }
}

/// The memory store's writer: it works on its own copy and publishes it at each flush.
private final class MemoryEstateWriter: WholeEstateWriter {
    private let store: MemoryEstateStore
    private(set) var estate: Estate
    /// The estate as last published: what a failed flush falls back to.
    private var durable: Estate
    private var staged = 0
    private var failed: StoreError?
    private var open = true

    init(store: MemoryEstateStore, estate: Estate) {
        self.store = store
        self.estate = estate
        durable = estate
    }

    var warnings: [String] { [] }

    func stage(_ change: EstateChange) throws(StoreError) {
        try checkWritable()
        estate.apply(change)
        staged += 1
    }

    func stage(_ arrival: AlertArrival) throws(StoreError) {
        try checkWritable()
        estate.apply(arrival)
        staged += 1
    }

    func stage(_ change: ScheduleChange) throws(StoreError) {
        try checkWritable()
        estate.apply(change)
        staged += 1
    }

    func flush() throws(StoreError) {
        try checkWritable()
        guard staged > 0 else { return }
        do {
            try store.publish(estate, records: staged)
        } catch {
            failed = error
            estate = durable
            throw error
        }
        durable = estate
        staged = 0
    }

    func commit(_ change: EstateChange) throws(StoreError) {
        try stage(change)
        try flush()
    }

    func commit(_ change: LifecycleChange) throws(StoreError) {
        try checkWritable()
        estate.apply(change)
        staged += 1
        try flush()
    }

    func compactIfDue() throws(StoreError) -> Bool { false }

    func close() {
        guard open else { return }
        open = false
        store.release()
    }

    private func checkWritable() throws(StoreError) {
        if let failed {
            throw StoreError(code: failed.code, message: "the store stopped after an earlier write failed (\(failed.message)); reopen it")
        }
    }
}
