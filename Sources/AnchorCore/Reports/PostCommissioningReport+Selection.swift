extension PostCommissioningReport {
    /// Which rows to keep: every condition given must hold.
    public struct Filter: Hashable, Sendable {
        /// Only rows with this verdict.
        public var verdict: Verdict?
        /// Only non-compliant rows with this reason.
        public var reason: NonCompliance?
        /// Only rows whose Supplier, or the holder of the NO cell at the deadline, is this organisation.
        public var organisation: String?

        /// A filter; with nothing given, every row is kept.
        public init(verdict: Verdict? = nil, reason: NonCompliance? = nil, organisation: String? = nil) {
            self.verdict = verdict
            self.reason = reason
            self.organisation = organisation
        }

        /// Whether `row` is kept.
        public func matches(_ row: Row) -> Bool {
            if let verdict, row.verdict != verdict { return false }
            if let reason, row.reason != reason { return false }
            if let organisation, row.supplier != organisation, row.heldAtDeadline != organisation { return false }
            return true
        }
    }

    /// The orders the rows can be put in; each breaks ties by device ID.
    public enum Order: String, Sendable, CaseIterable {
        /// Device ID, the order the rows are made in.
        case device
        /// Supplier ID.
        case supplier
        /// Earliest deadline first.
        case deadline
        /// Non-compliant, then pending, then compliant.
        case verdict

        /// Whether `a` comes before `b`.
        public func areInIncreasingOrder(_ a: Row, _ b: Row) -> Bool {
            switch self {
            case .device: a.device < b.device
            case .supplier: (a.supplier, a.device) < (b.supplier, b.device)
            case .deadline: (a.deadline, a.device) < (b.deadline, b.device)
            case .verdict: (Self.rank(a.verdict), a.device) < (Self.rank(b.verdict), b.device)
            }
        }

        private static func rank(_ verdict: Verdict) -> Int {
            switch verdict {
            case .nonCompliant: 0
            case .pending: 1
            case .compliant: 2
            }
        }
    }
}
