/// Unknown names as errors that say which name the store holds instead (``NameSuggestion``).
extension Ledger {
    /// ``RequestError/unknownOrganisation(_:suggestion:)`` for `id`, with the nearest of this
    /// ledger's organisation IDs.
    public func unknownOrganisation(_ id: String) -> RequestError {
        .unknownOrganisation(id, suggestion: NameSuggestion.closest(to: id, among: organisations.map(\.id)))
    }

    /// ``RequestError/unknownCertificate(_:suggestion:)`` for a `--cert` value, with the nearest
    /// of what `--cert` takes: a certificate ID, an organisation ID, or `acb`.
    public func unknownCertificate(_ specification: String) -> RequestError {
        let names = certificates.map(\.id) + organisations.map(\.id) + (soleOrganisation(withRole: .acb) == nil ? [] : ["acb"])
        return .unknownCertificate(specification, suggestion: NameSuggestion.closest(to: specification, among: names))
    }

    /// The organisation with this ID.
    /// - Throws: ``unknownOrganisation(_:)`` when there is none.
    public func existingOrganisation(_ id: String) throws(RequestError) -> Organisation {
        guard let organisation = organisation(id) else { throw unknownOrganisation(id) }
        return organisation
    }
}

extension DeviceFilter {
    /// Fails on the first `no=` or `supplier=` term naming an organisation `ledger` does not
    /// hold: a misspelt name would otherwise match nothing, silently.
    /// - Throws: ``Ledger/unknownOrganisation(_:)``.
    public func checkNames(in ledger: Ledger) throws(RequestError) {
        for term in terms {
            switch term {
            case .networkOperator(let id), .supplier(let id):
                if ledger.organisation(id) == nil { throw ledger.unknownOrganisation(id) }
            case .type, .hasRecordedCounter, .idContains: continue
            }
        }
    }
}
