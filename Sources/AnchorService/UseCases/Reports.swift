import AnchorCore
import AnchorStore

extension EstateService {
    /// The counter-risk report's rows, one at a time in device-ID order, as the store reads its
    /// estate (``EstateStore/readForReport(_:warn:_:)``): none of them is held.
    /// - Parameter warn: called with what the user should know of the open, before any row.
    /// - Throws: ``ServiceError/store(_:)`` when the store cannot be read; rows given before stand.
    public func counterRisk(warn: (String) -> Void, _ each: (CounterRiskReport.Row) -> Void) throws(ServiceError) {
        do {
            try store.readForReport(.counterRisk, warn: warn) { part in CounterRiskReport.rows(estate: part, each) }
        } catch {
            throw .store(error)
        }
    }

    /// The post-commissioning report's rows as of a time, one at a time in device-ID order, as
    /// the store reads its estate; returns the totals per Supplier.
    /// - Parameter warn: called with what the user should know of the open, before any row.
    /// - Throws: ``ServiceError/store(_:)`` when the store cannot be read; rows given before stand.
    public func postCommissioning(
        asOf: Timestamp, warn: (String) -> Void, _ each: (PostCommissioningReport.Row) -> Void
    ) throws(ServiceError) -> [PostCommissioningReport.SupplierTotals] {
        var totals = PostCommissioningReport.Totals()
        do {
            try store.readForReport(.postCommissioning, warn: warn) { part in
                PostCommissioningReport.rows(estate: part, asOf: asOf, totals: &totals, each)
            }
        } catch {
            throw .store(error)
        }
        return totals.bySupplier
    }
}
