/// GPFs whose Network Operator cells hold the ACB's certificate where a later SRV6.21 is at
/// risk, with what to do about each.
public struct CounterRiskReport: Sendable {
    /// The kind of risk.
    public enum Risk: String, Sendable, CaseIterable {
        /// The recorded counter is at or above the ACB's next generated counter: SRV6.21 works
        /// only with the recorded-counter rule (recorded + 1); `--legacy-counters` would fail.
        case recordedAboveGenerated = "recorded-above-generated"
        /// No counter is recorded: the NO floor is unknown (handed back before this change, or
        /// by other means), so an SRV6.21 may be refused by the device.
        case noRecordedCounter = "no-recorded-counter"
    }

    /// One GPF at risk.
    public struct Row: Hashable, Sendable {
        /// The GPF.
        public var device: EUI64
        /// Its Responsible Supplier.
        public var supplier: String
        /// Its recorded NO counter, if any.
        public var recordedCounter: OriginatorCounter?
        /// The counter the ACB's own sequence would give the next SRV6.21.
        public var nextGenerated: OriginatorCounter?
        /// Which risk.
        public var risk: Risk
        /// The last GNO the request log shows in the NO cell, if any.
        public var formerNetworkOperator: String?
        /// What the operator should do.
        public var action: String
    }

    /// The rows, in device-ID order.
    public var rows: [Row]

    /// Builds the report from the estate's current state and logs.
    public init(estate: Estate) {
        let ledger = estate.ledger
        let history = ComplianceHistory(ledger: ledger)
        let acb = ledger.soleOrganisation(withRole: .acb)
        let generated = acb?.lastCounter.successor
        var rows: [Row] = []
        for device in estate.devices.devices where device.type == .gpf {
            guard let holder = device.cells[.networkOperatorDS].flatMap({ ledger.certificate($0)?.owner }),
                  holder == acb?.id else { continue }
            let recorded = ledger.recordedCounters[device.id]
            let former = history.formerNetworkOperator(of: device.id)
            let recovery = "anchordesk recovery --filter \(device.id) --replace-with acb --new-floor 0 --reason TEXT"
            if let recorded {
                guard let generated, recorded < generated else {
                    let next = recorded.successor.map { "recorded + 1 = \($0)" } ?? "no counter above it (a Recovery Event with a lower floor is needed: \(recovery))"
                    rows.append(Row(device: device.id, supplier: device.supplier, recordedCounter: recorded, nextGenerated: generated,
                                    risk: .recordedAboveGenerated, formerNetworkOperator: former,
                                    action: "SRV6.21 uses \(next); never send it with --legacy-counters"))
                    continue
                }
            } else {
                let action = former.map { "\($0)'s last counter was never recorded; set a known floor first: \(recovery)" }
                    ?? "no GNO in the log: nothing to do if as manufactured; if a GNO ever held it, set a known floor first: \(recovery)"
                rows.append(Row(device: device.id, supplier: device.supplier, recordedCounter: nil, nextGenerated: generated,
                                risk: .noRecordedCounter, formerNetworkOperator: former, action: action))
            }
        }
        self.rows = rows
    }
}
