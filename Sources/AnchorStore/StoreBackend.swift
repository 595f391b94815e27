import AnchorCore

/// Where a store lives: the seam between the engine's users (CLI, console, DUIS server) and
/// the two backends, a store directory (``DirectoryStore``, the embedded default) and a
/// PostgreSQL database (the `AnchorPostgres` module). Both hand back a ``Store``.
public protocol StoreBackend: Sendable {
    /// The local directory that holds the DCC's keys (``CredentialVault``) and the store's files
    /// (for PostgreSQL, the local copy of the database's records).
    var directory: String { get }
    /// How the store is named to people: a path, or a URL without any password.
    var shown: String { get }
    /// Whether a store exists there.
    func exists() throws(StoreError) -> Bool
    /// Creates a store holding an estate.
    /// - Parameters:
    ///   - audit: the chain the estate's logs already have (copying a store), or `nil`.
    ///   - lastSequence: the sequence of the last record the estate holds (copying a store), or 0.
    func create(with estate: Estate, audit: AuditTrail?, lastSequence: UInt64, replacingExisting: Bool) throws(StoreError)
    /// Opens the store, up to date with every commit acknowledged before the call.
    func open(access: Store.Access) throws(StoreError) -> Store
    /// Something that changes whenever another writer commits; cheap enough to ask every tick.
    func changeToken() -> String
}

extension StoreBackend {
    /// Creates a store holding an estate with no history.
    public func create(with estate: Estate, replacingExisting: Bool) throws(StoreError) {
        try create(with: estate, audit: nil, lastSequence: 0, replacingExisting: replacingExisting)
    }
}
