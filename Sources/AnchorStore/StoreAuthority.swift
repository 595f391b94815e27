/// Where a store's records are kept first when the store directory is a local copy of a shared
/// database's (the PostgreSQL backend): a commit is durable, and may be reported, only once
/// the authority has accepted it; the local journal follows.
///
/// An authority decides nothing: the engine decides on the store's estate, which the writer
/// brought up to date while holding the authority's writer lock.
public protocol StoreAuthority: AnyObject {
    /// Makes journal records durable in the authority, all or none, in one transaction.
    /// - Parameters:
    ///   - payloads: the records' JSON, in sequence order, exactly as the journal holds them.
    ///   - sequence: the sequence of the record before the first one (what the writer decided on).
    /// - Throws: ``StoreError``: `.notAuthorised` when the login may not act for a record's
    ///   organisation; `.io` when the outcome is unknown (the connection was lost).
    func append(_ payloads: [[UInt8]], after sequence: UInt64) throws(StoreError)

    /// Ends the authority's session and releases its writer lock.
    func close()
}
