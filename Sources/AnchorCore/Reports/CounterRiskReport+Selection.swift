extension CounterRiskReport {
    /// Which rows to keep: every condition given must hold.
    public struct Filter: Hashable, Sendable {
        /// Only rows of this risk.
        public var risk: Risk?
        /// Only rows whose Supplier, or the former Network Operator, is this organisation.
        public var organisation: String?

        /// A filter; with nothing given, every row is kept.
        public init(risk: Risk? = nil, organisation: String? = nil) {
            self.risk = risk
            self.organisation = organisation
        }

        /// Whether `row` is kept.
        public func matches(_ row: Row) -> Bool {
            if let risk, row.risk != risk { return false }
            if let organisation, row.supplier != organisation, row.formerNetworkOperator != organisation { return false }
            return true
        }
    }

    /// The orders the rows can be put in; each breaks ties by device ID.
    public enum Order: String, Sendable, CaseIterable {
        /// Device ID, the order the rows are made in.
        case device
        /// Supplier ID.
        case supplier
        /// The kinds of risk in the order ``Risk`` declares them.
        case risk
        /// Highest recorded counter first; rows with none last.
        case recorded

        /// Whether `a` comes before `b`.
        public func areInIncreasingOrder(_ a: Row, _ b: Row) -> Bool {
            switch self {
            case .device: a.device < b.device
            case .supplier: (a.supplier, a.device) < (b.supplier, b.device)
            case .risk: (Self.rank(a.risk), a.device) < (Self.rank(b.risk), b.device)
            case .recorded:
                switch (a.recordedCounter, b.recordedCounter) {
                case let (x?, y?): x != y ? x > y : a.device < b.device
                case (.some, nil): true
                case (nil, .some): false
                case (nil, nil): a.device < b.device
                }
            }
        }

        /// Where `risk` comes in the order ``Risk`` declares them.
        static func rank(_ risk: Risk) -> Int {
            Risk.allCases.firstIndex(of: risk) ?? 0
        }
    }

    /// What a report's kept rows add up to.
    public struct Summary: Hashable, Sendable {
        /// Rows of each kind of risk, in the order ``Risk`` declares them (counted without
        /// hashing: this is done once a row, for millions of rows).
        private var counts = [Int](repeating: 0, count: Risk.allCases.count)
        /// The counter the ACB's own sequence would give the next SRV6.21, if there is an ACB with one after its last.
        public var nextGenerated: OriginatorCounter?
        /// Rows of each kind of risk counted at least once.
        public var byRisk: [Risk: Int] {
            Dictionary(uniqueKeysWithValues: zip(Risk.allCases, counts).filter { $0.1 > 0 })
        }
        /// Every row counted.
        public var total: Int { counts.reduce(0, +) }

        /// Nothing counted.
        public init(nextGenerated: OriginatorCounter? = nil) {
            self.nextGenerated = nextGenerated
        }

        /// Counts a row.
        public mutating func count(_ row: Row) {
            counts[Order.rank(row.risk)] += 1
        }
    }
}
