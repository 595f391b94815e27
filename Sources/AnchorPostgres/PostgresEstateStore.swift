import AnchorCore
import AnchorService
import AnchorStore

/// A PostgreSQL store as the DSP's use cases reach it: each writer decides on the rows of the
/// devices it acts on (``PostgresEstateWriter``), side by side with the others; nobody reads
/// the whole estate in order to write.
public struct PostgresEstateStore: EstateStore {
    /// The database.
    public let store: PostgresStore

    /// Devices a report reads a part (``EstateStore/readForReport(_:warn:_:)``).
    public let reportPartSize: Int

    /// The use cases' view of `store`.
    /// - Parameter reportPartSize: devices a report reads a part: tens of thousands keep a
    ///   part's memory small and its statements few (each part costs the database a plan and a
    ///   histories' read; `Benchmarks/RESULTS.md` has parts of 20,000 against 50,000).
    public init(_ store: PostgresStore, reportPartSize: Int = 50_000) {
        self.store = store
        self.reportPartSize = max(1, reportPartSize)
    }

    public var shown: String { store.shown }

    /// This machine's directory for the DCC's keys: its public files are brought to the
    /// database's copy whenever a writer is opened; its private keys are the DSP's host's own.
    public var keyDirectory: String { store.directory }

    public var paging: (any DevicePaging)? { store }

    public func changeToken() -> String { store.changeToken() }

    public func withStoreFiles<Value>(_ read: (String) throws -> Value) throws -> Value {
        try store.withFreshCopy(read)
    }

    public func readForReport(
        _ scope: ReportScope, warn: (String) -> Void, proceed: (Ledger) -> Bool, _ part: (ReportPart) -> Void
    ) throws(StoreError) {
        let (session, warnings) = try store.connectAsOperator()
        defer { session.close() }
        for warning in warnings { warn(warning) }
        // A second session reads every other range in the first's snapshot, so the database reads on two cores.
        let store = store
        try PostgresReportReader(session: session, openHelper: { try? store.connectAsOperator().0 }, shown: store.shown,
                                 partSize: reportPartSize).read(scope, proceed: proceed, part)
    }

    public func openWriter(lockTimeout: Duration) throws(StoreError) -> any EstateWriter {
        let (session, warnings) = try store.connectAsOperator()
        do throws(StoreError) {
            try PostgresOperator.requireDSP(session)
            try PostgresVault.bringUpToDate(store.directory, over: session)
            return try PostgresEstateWriter(session: session, warnings: warnings, lockTimeout: lockTimeout)
        } catch {
            session.close()
            throw error
        }
    }
}
