/// The post-commissioning report (FIA Req 1 and 3): per commissioned GPF, what its Network
/// Operator cells held seven days after commissioning, and whether that met the obligation.
public struct PostCommissioningReport: Sendable {
    /// A row's verdict.
    public enum Verdict: String, Sendable, CaseIterable, Codable {
        /// The ACB's certificate, or that of a GNO that was a DCC User with a usable certificate.
        case compliant
        /// The deadline is after the report's date.
        case pending
        /// Anything else; see ``NonCompliance``.
        case nonCompliant = "non-compliant"
    }

    /// Why a row is non-compliant.
    public enum NonCompliance: String, Sendable, CaseIterable, Codable {
        /// Commissioned with a GNO certificate that was not acceptable at the deadline (Req 1).
        case gnoCertificateAtCommissioning = "gno-certificate-at-commissioning"
        /// A GNO certificate placed for a GNO that was not a DCC User at the deadline (Req 2).
        case gnoNotDccUser = "gno-not-dcc-user"
        /// A GNO certificate placed for a DCC User with no usable certificate in the SMKI Repository (Req 2).
        case gnoCertificateNotInRepository = "gno-certificate-not-in-repository"
        /// Neither the ACB's nor a GNO's certificate (an empty cell, or another role's).
        case noNetworkOperatorCertificate = "no-network-operator-certificate"
    }

    /// One GPF.
    public struct Row: Hashable, Sendable, Codable {
        /// The GPF.
        public var device: EUI64
        /// Its Responsible Supplier.
        public var supplier: String
        /// When it was commissioned.
        public var commissionedAt: Timestamp
        /// Seven days after commissioning.
        public var deadline: Timestamp
        /// The organisation whose certificate the NO DS cell held at the deadline; `nil` while pending or empty.
        public var heldAtDeadline: String?
        /// Compliant, pending or non-compliant.
        public var verdict: Verdict
        /// Why it is non-compliant; `nil` otherwise.
        public var reason: NonCompliance?
    }

    /// Counts for one Supplier.
    public struct SupplierTotals: Hashable, Sendable {
        /// The Supplier's organisation ID.
        public var supplier: String
        /// Rows judged compliant.
        public var compliant: Int
        /// Rows whose deadline has not come.
        public var pending: Int
        /// Rows judged non-compliant.
        public var nonCompliant: Int
        /// All rows of this Supplier.
        public var total: Int { compliant + pending + nonCompliant }

        /// Creates totals.
        public init(supplier: String, compliant: Int = 0, pending: Int = 0, nonCompliant: Int = 0) {
            self.supplier = supplier
            self.compliant = compliant
            self.pending = pending
            self.nonCompliant = nonCompliant
        }
    }

    /// The days a Supplier has after commissioning (IEDP 5.3, FIA Req 1).
    public static let deadlineDays: Int64 = 7

    /// The date the report is as of.
    public var asOf: Timestamp
    /// One row per GPF commissioned by ``asOf``, in device-ID order.
    public var rows: [Row]
    /// Per Supplier, in Supplier-ID order.
    public var totals: [SupplierTotals]

    /// Builds the report from the estate's current state and logs.
    public init(estate: Estate, asOf: Timestamp) {
        self.asOf = asOf
        var rows: [Row] = []
        var totals = Totals()
        Self.rows(estate: estate, asOf: asOf) { row in
            rows.append(row)
            totals.count(row)
        }
        self.rows = rows
        self.totals = totals.bySupplier
    }

    /// The report of rows made elsewhere (``rows(estate:asOf:_:)`` over the parts a store reads
    /// its estate in), in device-ID order, with their totals.
    public init(asOf: Timestamp, rows: [Row], totals: Totals) {
        self.asOf = asOf
        self.rows = rows
        self.totals = totals.bySupplier
    }

    /// The totals per Supplier, per verdict and per reason, counted a row at a time (over one
    /// estate, or over the parts a store reads its estate in).
    public struct Totals: Sendable {
        /// Each Supplier's totals, in the order first counted, and where each is.
        private var suppliers: [SupplierTotals] = []
        private var positions: [String: Int] = [:]
        private var verdictCounts = [Int](repeating: 0, count: Verdict.allCases.count)
        private var reasonCounts = [Int](repeating: 0, count: NonCompliance.allCases.count)

        /// Rows of each verdict, over every Supplier (verdicts with none left out).
        public var byVerdict: [Verdict: Int] { Self.counted(verdictCounts, Verdict.allCases) }
        /// Non-compliant rows for each reason (reasons with none left out).
        public var byReason: [NonCompliance: Int] { Self.counted(reasonCounts, NonCompliance.allCases) }
        /// Every row counted.
        public var total: Int { verdictCounts.reduce(0, +) }

        /// No rows counted.
        public init() {}

        /// Counts a row. The few Suppliers are compared by name; the table of their places is
        /// looked in only when there are many.
        public mutating func count(_ row: Row) {
            let position: Int
            if suppliers.count <= 16 {
                position = suppliers.firstIndex { $0.supplier == row.supplier } ?? append(row.supplier)
            } else {
                position = positions[row.supplier] ?? append(row.supplier)
            }
            switch row.verdict {
            case .compliant: suppliers[position].compliant += 1
            case .pending: suppliers[position].pending += 1
            case .nonCompliant: suppliers[position].nonCompliant += 1
            }
            verdictCounts[row.verdict.position] += 1
            if let reason = row.reason { reasonCounts[reason.position] += 1 }
        }

        private mutating func append(_ supplier: String) -> Int {
            positions[supplier] = suppliers.count
            suppliers.append(SupplierTotals(supplier: supplier))
            return suppliers.count - 1
        }

        private static func counted<Key>(_ counts: [Int], _ keys: [Key]) -> [Key: Int] {
            Dictionary(uniqueKeysWithValues: zip(keys, counts).filter { $0.1 > 0 })
        }

        /// Per Supplier, in Supplier-ID order.
        public var bySupplier: [SupplierTotals] {
            suppliers.sorted { $0.supplier < $1.supplier }
        }
    }

    /// The report's rows one at a time, in device-ID order, without holding them: for output
    /// over millions of devices.
    public static func rows(estate: Estate, asOf: Timestamp, _ each: (Row) -> Void) {
        let ledger = estate.ledger
        let history = ComplianceHistory(ledger: ledger)
        var holders = NetworkOperatorHolders(ledger: ledger)
        estate.devices.forEachInventoryEntry { device in
            guard device.type == .gpf, let commissioned = device.commissionedAt, commissioned <= asOf else { return }
            let deadline = commissioned.adding(days: Self.deadlineDays)
            var row = Row(device: device.id, supplier: device.supplier, commissionedAt: commissioned, deadline: deadline,
                          heldAtDeadline: nil, verdict: .pending, reason: nil)
            if deadline <= asOf {
                let holder = history.networkOperatorHolder(of: device.id, at: deadline) { holders.owner(of: device.cells) }
                row.heldAtDeadline = holder
                row.reason = Self.nonCompliance(holder: holder, commissioned: commissioned, deadline: deadline,
                                                device: device, ledger: ledger, history: history)
                row.verdict = row.reason == nil ? .compliant : .nonCompliant
            }
            each(row)
        }
    }

    private static func nonCompliance(
        holder: String?, commissioned: Timestamp, deadline: Timestamp, device: DeviceInventoryEntry, ledger: Ledger, history: ComplianceHistory
    ) -> NonCompliance? {
        guard let holder, let organisation = ledger.organisation(holder) else { return .noNetworkOperatorCertificate }
        switch organisation.role {
        case .acb:
            return nil
        case .networkOperator:
            let dccUser = history.wasDccUser(organisation, at: deadline)
            if dccUser && history.hadUsableCertificate(holder, at: deadline) { return nil }
            if history.networkOperatorHolder(of: device, at: commissioned) == holder { return .gnoCertificateAtCommissioning }
            return dccUser ? .gnoCertificateNotInRepository : .gnoNotDccUser
        default:
            return .noNetworkOperatorCertificate
        }
    }
}

extension PostCommissioningReport.Verdict {
    /// The verdict's place in ``allCases``, found without making that array.
    var position: Int {
        switch self {
        case .compliant: 0
        case .pending: 1
        case .nonCompliant: 2
        }
    }
}

extension PostCommissioningReport.NonCompliance {
    /// The reason's place in ``allCases``, found without making that array.
    var position: Int {
        switch self {
        case .gnoCertificateAtCommissioning: 0
        case .gnoNotDccUser: 1
        case .gnoCertificateNotInRepository: 2
        case .noNetworkOperatorCertificate: 3
        }
    }
}
