import AnchorCore

/// A part of the estate as a report reads it (``EstateStore/readForReport(_:warn:proceed:_:)``).
public struct ReportPart: Sendable {
    /// Some of the devices the report's scope names, with what the logs hold of them, over the
    /// organisations, certificates, lifecycle log and last counters.
    public var estate: Estate
    /// For counter-risk, the GPFs in this part's range of IDs that hold one of the ACB's
    /// certificates and that no log mentions, in ID order, none of them in ``estate``: a store
    /// that keeps its devices as rows names these by an index instead of reading them whole.
    /// Empty from a store that gives its whole estate.
    public var unloggedACBHolders: [CounterRiskReport.UnloggedGPF]

    /// A part; a store holding its whole estate gives it with no unlogged GPFs named apart.
    public init(estate: Estate, unloggedACBHolders: [CounterRiskReport.UnloggedGPF] = []) {
        self.estate = estate
        self.unloggedACBHolders = unloggedACBHolders
    }
}
