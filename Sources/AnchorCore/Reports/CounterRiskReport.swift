/// GPFs whose Network Operator cells hold the ACB's certificate where a later SRV6.21 is at
/// risk, with what to do about each.
public struct CounterRiskReport: Sendable {
    /// The kind of risk.
    public enum Risk: String, Sendable, CaseIterable, Codable {
        /// The recorded counter is at or above the ACB's next generated counter: SRV6.21 works
        /// only with the recorded-counter rule (recorded + 1); `--legacy-counters` would fail.
        case recordedAboveGenerated = "recorded-above-generated"
        /// No counter is recorded: the NO floor is unknown (handed back before this change, or
        /// by other means), so an SRV6.21 may be refused by the device.
        case noRecordedCounter = "no-recorded-counter"
        /// A future-dated hand-back the device has acknowledged and not yet reported on: until
        /// its alert arrives nothing is recorded and SRV6.21 is refused.
        case scheduledHandBack = "scheduled-hand-back"
        /// The device's alert said a scheduled hand-back failed (0x8F67): the GNO's certificate
        /// is still in the cell and nothing was recorded.
        case failedHandBack = "failed-hand-back"
    }

    /// The rows, in device-ID order.
    public var rows: [Row]

    /// Builds the report from the estate's current state and logs.
    public init(estate: Estate) {
        var rows: [Row] = []
        Self.rows(estate: estate) { rows.append($0) }
        self.rows = rows
    }

    /// The report of rows made elsewhere (``rows(estate:_:)`` over the parts a store reads its
    /// estate in), in device-ID order.
    public init(rows: [Row]) {
        self.rows = rows
    }

    /// The report's rows one at a time, in device-ID order, without holding them: for output
    /// over millions of devices.
    public static func rows(estate: Estate, _ each: (Row) -> Void) {
        let ledger = estate.ledger
        let history = ComplianceHistory(ledger: ledger)
        let acb = ledger.soleOrganisation(withRole: .acb)
        let generated = nextGenerated(in: ledger)
        var holders = NetworkOperatorHolders(ledger: ledger)
        var recordedIDs = AscendingIDs(ledger.recordedCounters.ascendingDevices)
        estate.devices.forEachInventoryEntry { device in
            guard device.type == .gpf else { return }
            let holder = holders.owner(of: device.cells)
            if let row = CounterRiskReport.scheduleRow(device, holder: holder, ledger: ledger, acb: acb?.id, generated: generated) {
                return each(row)
            }
            guard let holder, holder == acb?.id else { return }
            let recorded = recordedIDs.contains(device.id) ? ledger.recordedCounters[device.id] : nil
            let former = history.formerNetworkOperator(of: device.id)
            var recovery: String { recoveryCommand(device.id.description) }
            if let recorded {
                guard let generated, recorded < generated else {
                    let next = recorded.successor.map { "recorded + 1 = \($0)" } ?? "no counter above it (a Recovery Event with a lower floor is needed: \(recovery))"
                    return each(Row(device: device.id, supplier: device.supplier, recordedCounter: recorded, nextGenerated: generated,
                                    risk: .recordedAboveGenerated, formerNetworkOperator: former,
                                    action: "SRV6.21 uses \(next); never send it with --legacy-counters"))
                }
            } else if let former {
                each(Row(device: device.id, supplier: device.supplier, recordedCounter: nil, nextGenerated: generated,
                         risk: .noRecordedCounter, formerNetworkOperator: former,
                         action: "\(former)'s last counter was never recorded; set a known floor first: \(recovery)"))
            } else {
                each(unloggedRow(UnloggedGPF(device: device.id, supplier: device.supplier), generated: generated))
            }
        }
    }

    /// The Recovery Event that sets a known Network Operator floor on `device`, as an action suggests it.
    static func recoveryCommand(_ device: String) -> String {
        "anchordesk recovery --filter \(device) --replace-with acb --new-floor 0 --reason TEXT"
    }

    /// The counter the ACB's own sequence would give the next SRV6.21: `nil` without one ACB,
    /// or when its counters are used up.
    public static func nextGenerated(in ledger: Ledger) -> OriginatorCounter? {
        ledger.soleOrganisation(withRole: .acb)?.lastCounter.successor
    }

    /// The row for a device whose hand-back is scheduled (its sender's certificate is still in the
    /// cell), or failed when it fell due (its last schedule step for a hand-back is an 0x8F67 and
    /// the ACB is not in the cell); `nil` otherwise.
    private static func scheduleRow(
        _ device: DeviceInventoryEntry, holder: String?, ledger: Ledger, acb: String?, generated: OriginatorCounter?
    ) -> Row? {
        guard !ledger.schedule.isEmpty else { return nil }
        let recorded = ledger.recordedCounters[device.id]
        if let pending = ledger.pendingCommand(for: device.id), pending.handBack, holder == pending.sender {
            return Row(device: device.id, supplier: device.supplier, recordedCounter: recorded, nextGenerated: generated,
                       risk: .scheduledHandBack, formerNetworkOperator: pending.sender,
                       action: "\(pending.sender)'s hand-back \(pending.requestId) (counter \(pending.counter)) is due at \(pending.dueAt); SRV6.21 waits for its alert ('anchordesk alerts process')")
        }
        guard holder != acb, let last = ledger.lastScheduleStep(for: device.id), last.event == .failed, last.handBack else { return nil }
        return Row(device: device.id, supplier: device.supplier, recordedCounter: recorded, nextGenerated: generated,
                   risk: .failedHandBack, formerNetworkOperator: last.sender,
                   action: "\(last.sender)'s scheduled hand-back \(last.requestId) failed on the device (0x8F67); nothing was recorded; \(last.sender) must send SRV6.15.1 again")
    }
}
