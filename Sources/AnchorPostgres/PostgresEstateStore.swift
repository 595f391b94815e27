import AnchorCore
import AnchorService
import AnchorStore

/// A PostgreSQL store as the DSP's use cases reach it: each writer decides on the rows of the
/// devices it acts on (``PostgresEstateWriter``), side by side with the others; nobody reads
/// the whole estate in order to write.
public struct PostgresEstateStore: EstateStore {
    /// The database.
    public let store: PostgresStore

    /// The use cases' view of `store`.
    public init(_ store: PostgresStore) {
        self.store = store
    }

    public var shown: String { store.shown }

    /// This machine's directory for the DCC's keys, brought to the database's copy whenever a
    /// writer is opened.
    public var keyDirectory: String { store.directory }

    public func openWriter(lockTimeout: Duration) throws(StoreError) -> any EstateWriter {
        let (session, warnings) = try store.connectAsOperator()
        do throws(StoreError) {
            try PostgresVault.bringUpToDate(store.directory, over: session)
            return try PostgresEstateWriter(session: session, warnings: warnings, lockTimeout: lockTimeout)
        } catch {
            session.close()
            throw error
        }
    }
}
