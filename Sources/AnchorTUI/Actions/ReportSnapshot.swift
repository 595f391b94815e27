import AnchorCore

/// The two reports the console shows.
public enum ReportKind: String, Hashable, Sendable, CaseIterable {
    /// Per GPF, what its NO cells held seven days after commissioning, and a verdict.
    case postCommissioning = "post-commissioning"
    /// GPFs holding the ACB's certificate whose next SRV6.21 is at risk.
    case counterRisk = "counter-risk"

    /// The title.
    public var title: String {
        switch self {
        case .postCommissioning: "Post-commissioning report"
        case .counterRisk: "Counter-risk report"
        }
    }
}

/// A report built from the core's report types for the loaded estate, kept until the estate changes.
public struct ReportSnapshot: Sendable {
    /// Which report.
    public var kind: ReportKind
    /// Post-commissioning: the report.
    public var postCommissioning: PostCommissioningReport?
    /// Counter-risk: the report.
    public var counterRisk: CounterRiskReport?

    /// A report of `kind` (the one of the two it is).
    public init(kind: ReportKind, postCommissioning: PostCommissioningReport? = nil, counterRisk: CounterRiskReport? = nil) {
        self.kind = kind
        self.postCommissioning = postCommissioning
        self.counterRisk = counterRisk
    }

    /// Builds a report.
    /// - Parameter asOf: the post-commissioning report's date.
    public static func make(_ kind: ReportKind, estate: Estate, asOf: Timestamp) -> ReportSnapshot {
        switch kind {
        case .postCommissioning:
            ReportSnapshot(kind: kind, postCommissioning: PostCommissioningReport(estate: estate, asOf: asOf))
        case .counterRisk:
            ReportSnapshot(kind: kind, counterRisk: CounterRiskReport(estate: estate))
        }
    }

    /// Rows in the report.
    public var rowCount: Int {
        postCommissioning?.rows.count ?? counterRisk?.rows.count ?? 0
    }

    /// Parses an as-of date as the CLI's `--as-of` does: `YYYY-MM-DD` (the end of that day, UTC)
    /// or a full `YYYY-MM-DDTHH:MM:SSZ`.
    public static func asOf(parsing text: String) -> Timestamp? {
        let text = text.trimmingSpaces
        if text.count == 10, let day = Timestamp(iso8601: text + "T23:59:59Z") { return day }
        return Timestamp(iso8601: text)
    }
}

/// A report asked of the database while pages are shown (read off the keys, which go on
/// changing what is asked meanwhile).
public struct ReportRead: Hashable, Sendable {
    /// Which report.
    public var kind: ReportKind
    /// The post-commissioning report's date as asked (`nil`: now).
    public var asOf: Timestamp?
    /// `R`, or this console's own request or job, since it was asked: its answer is of the
    /// store before.
    public var outdated = false

    /// Whether its answer is the report asked for now (`kind`, as of `asOf`).
    public func answers(_ kind: ReportKind, asOf: Timestamp?) -> Bool {
        !outdated && self.kind == kind && (kind != .postCommissioning || self.asOf == asOf)
    }
}

/// How many devices hold each organisation's certificates (``Estate/devicesHoldingCertificates(of:)``).
public struct OrganisationHoldings: Sendable, Equatable {
    /// Device counts by organisation ID.
    public var counts: [String: Int]

    /// Counts, for every organisation of an estate.
    public init(estate: Estate) {
        var counts: [String: Int] = [:]
        for organisation in estate.ledger.organisations {
            counts[organisation.id] = estate.devicesHoldingCertificates(of: organisation.id).count
        }
        self.counts = counts
    }

    /// Counts a store kept (``AnchorStore/DevicePaging/holdings()``).
    public init(counts: [String: Int]) {
        self.counts = counts
    }
}
