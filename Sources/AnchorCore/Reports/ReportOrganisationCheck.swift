extension Ledger {
    /// Refuses a report filter's organisation that the ledger does not hold, before any row is
    /// made: a misspelt name would otherwise select nothing, silently.
    /// - Throws: ``RequestError/unknownOrganisation(_:)``.
    public func requireReportOrganisation(_ id: String) throws(RequestError) {
        guard organisation(id) != nil else { throw .unknownOrganisation(id) }
    }
}
