import AnchorCore
import AnchorStore

extension EstateService {
    /// The counter-risk report's rows that `filter` keeps, one at a time in device-ID order, as
    /// the store reads its estate (``EstateStore/readForReport(_:warn:proceed:_:)``): none of them
    /// is held. Returns what the kept rows add up to, with the ACB's next generated counter.
    /// - Parameter warn: called with what the user should know of the open, before any row.
    /// - Throws: ``ServiceError/request(_:)`` `unknownOrganisation` when the filter names an
    ///   organisation the store does not hold, before any row; ``ServiceError/store(_:)`` when
    ///   the store cannot be read; rows given before stand.
    @discardableResult
    public func counterRisk(
        filter: CounterRiskReport.Filter = .init(), warn: (String) -> Void, _ each: (CounterRiskReport.Row) -> Void
    ) throws(ServiceError) -> CounterRiskReport.Summary {
        var summary = CounterRiskReport.Summary()
        var refusal: RequestError?
        do {
            try store.readForReport(.counterRisk, warn: warn, proceed: { ledger in
                refusal = Self.refusal(of: filter.organisation, in: ledger)
                summary.nextGenerated = CounterRiskReport.nextGenerated(in: ledger)
                return refusal == nil
            }) { part in
                CounterRiskReport.rows(estate: part.estate, unlogged: part.unloggedACBHolders) { row in
                    guard filter.matches(row) else { return }
                    summary.count(row)
                    each(row)
                }
            }
        } catch {
            throw .store(error)
        }
        if let refusal { throw .request(refusal) }
        return summary
    }

    /// The post-commissioning report's rows as of a time that `filter` keeps, one at a time in
    /// device-ID order, as the store reads its estate; returns the kept rows' totals.
    /// - Parameter warn: called with what the user should know of the open, before any row.
    /// - Throws: ``ServiceError/request(_:)`` `unknownOrganisation` when the filter names an
    ///   organisation the store does not hold, before any row; ``ServiceError/store(_:)`` when
    ///   the store cannot be read; rows given before stand.
    @discardableResult
    public func postCommissioning(
        asOf: Timestamp, filter: PostCommissioningReport.Filter = .init(), warn: (String) -> Void,
        _ each: (PostCommissioningReport.Row) -> Void
    ) throws(ServiceError) -> PostCommissioningReport.Totals {
        var totals = PostCommissioningReport.Totals()
        var refusal: RequestError?
        do {
            try store.readForReport(.postCommissioning, warn: warn, proceed: { ledger in
                refusal = Self.refusal(of: filter.organisation, in: ledger)
                return refusal == nil
            }) { part in
                PostCommissioningReport.rows(estate: part.estate, asOf: asOf) { row in
                    guard filter.matches(row) else { return }
                    totals.count(row)
                    each(row)
                }
            }
        } catch {
            throw .store(error)
        }
        if let refusal { throw .request(refusal) }
        return totals
    }

    /// Why a report's filter organisation is refused, if it is: one the ledger does not hold.
    private static func refusal(of organisation: String?, in ledger: Ledger) -> RequestError? {
        guard let organisation, ledger.organisation(organisation) == nil else { return nil }
        return ledger.unknownOrganisation(organisation)
    }
}
