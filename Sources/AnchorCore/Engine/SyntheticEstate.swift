/// A deterministic synthetic estate of GPFs, for trying AnchorDesk at national scale.
///
/// The same organisations, certificates, seed and size always give the same devices.
/// The mix follows the demo's story: about 30 % of GPFs still hold National Grid's
/// certificates with time-based floors, 40 % hold the ACB's as manufactured, the rest are
/// spread over the other GNOs, and 5 % were handed back earlier and carry a recorded
/// counter with one history entry.
public enum SyntheticEstate {
    /// Generates `count` GPFs over the given organisations and certificates.
    /// - Parameters:
    ///   - ledger: the organisations and certificates to use (suppliers, GNOs, the ACB ...).
    ///   - count: how many GPFs.
    ///   - seed: any number; the same seed gives the same estate.
    /// - Throws: ``RequestError/invalidRequest(_:)`` if the organisations lack a Supplier or the ACB.
    public static func generate(over ledger: Ledger, count: Int, seed: UInt64) throws(RequestError) -> Estate {
        let suppliers = ledger.organisations.filter { $0.role == .supplier }
        guard !suppliers.isEmpty, let acb = ledger.soleOrganisation(withRole: .acb) else {
            throw .invalidRequest("a synthetic estate needs at least one Supplier and one ACB organisation")
        }
        func pair(_ owner: String) -> (ds: String, ka: String)? {
            let owned = ledger.certificates(ownedBy: owner).filter(\.isUsable)
            guard let ds = owned.last(where: { $0.keyUsage == .digitalSigning })?.id,
                  let ka = owned.last(where: { $0.keyUsage == .keyAgreement })?.id else { return nil }
            return (ds, ka)
        }
        guard let acbPair = pair(acb.id) else { throw .invalidRequest("the ACB has no usable DS and KA certificates") }
        let networkOperators = ledger.organisations.filter { $0.role == .networkOperator }
            .compactMap { organisation in pair(organisation.id).map { (organisation, $0) } }
        let fixedCells = Dictionary(uniqueKeysWithValues: [TrustAnchorCell.root, .recovery, .wanProviderDS, .transitionalCoSDS]
            .compactMap { cell -> (TrustAnchorCell, String)? in
                ledger.organisations.first { $0.role == cell.role }.flatMap { certificate(for: cell, owner: $0.id, in: ledger) }.map { (cell, $0) }
            })
        // One shared cell set per (supplier, NO holder), so devices share their storage.
        var cellSets: [String: TrustAnchorCells] = [:]
        func cells(supplier: String, networkOperator: (ds: String, ka: String)) -> TrustAnchorCells {
            let key = supplier + "|" + networkOperator.ds
            if let cached = cellSets[key] { return cached }
            var contents = fixedCells
            contents[.acbDS] = acbPair.ds
            contents[.acbKA] = acbPair.ka
            contents[.networkOperatorDS] = networkOperator.ds
            contents[.networkOperatorKA] = networkOperator.ka
            if let supplierPair = pair(supplier) {
                contents[.supplierDS] = supplierPair.ds
                contents[.supplierKA] = supplierPair.ka
            }
            let made = TrustAnchorCells(contents)
            cellSets[key] = made
            return made
        }

        var random = SplitMix64(seed: seed)
        let nationalGrid = networkOperators.first { $0.0.id == "national-grid" } ?? networkOperators.first
        let others = networkOperators.filter { $0.0.id != nationalGrid?.0.id }
        let start = Timestamp(iso8601: "2021-01-01")!.secondsSince1970
        let end = Timestamp(iso8601: "2025-06-30")!.secondsSince1970
        var devices: [Device] = []
        devices.reserveCapacity(count)
        var recorded: [EUI64: OriginatorCounter] = [:]
        var history: [EUI64: [CounterHistoryEntry]] = [:]
        let idMixer = random.next() & 0xFF_FFFF_FFFF
        for index in 0..<count {
            // A bijection of the index within 40 bits, so IDs are unique and look scattered.
            let low = (UInt64(index) &* 0x9E_3779_B97F) & 0xFF_FFFF_FFFF ^ idMixer
            let id = EUI64(rawValue: 0x00DB_1200_0000_0000 | low)
            let supplier = suppliers[Int(random.next() % UInt64(suppliers.count))]
            let commissioned = Timestamp(secondsSince1970: start + Int64(random.next() % UInt64(end - start)) / 1800 * 1800)
            var floors = AntiReplayFloors()
            floors[.supplier] = OriginatorCounter(random.next() % max(1, supplier.lastCounter.value))
            let roll = random.next() % 100
            var holder = (acb, acbPair)
            switch roll {
            case 0..<30:
                if let nationalGrid {
                    holder = nationalGrid
                    floors[.networkOperator] = OriginatorCounter(1_640_995_200_000_000 + random.next() % 6_307_200_000_000)
                }
            case 30..<70, 96..<100:
                break
            default:
                if !others.isEmpty {
                    holder = others[Int(random.next() % UInt64(others.count))]
                    floors[.networkOperator] = OriginatorCounter(random.next() % max(1, holder.0.lastCounter.value))
                }
            }
            if holder.0.role == .acb && roll >= 96, let previous = nationalGrid {
                let counter = OriginatorCounter(1_600_000_000_000_000 + random.next() % 40_000_000_000_000)
                floors[.networkOperator] = counter
                recorded[id] = counter
                history[id] = [CounterHistoryEntry(
                    at: commissioned.adding(days: 30), requestId: "\(previous.0.entityId):\(id):\(counter)",
                    service: .updateSecurityCredentials, counter: counter)]
            }
            devices.append(Device(id: id, type: .gpf, supplier: supplier.id, commissionedAt: commissioned,
                                  cells: cells(supplier: supplier.id, networkOperator: holder.1), floors: floors))
        }
        return Estate(
            ledger: Ledger(organisations: ledger.organisations, certificates: ledger.certificates,
                           recordedCounters: RecordedCounters(recorded), counterHistory: CounterHistories(history)),
            devices: DeviceTable(devices))
    }

    private static func certificate(for cell: TrustAnchorCell, owner: String, in ledger: Ledger) -> String? {
        ledger.certificates(ownedBy: owner).last { $0.keyUsage == cell.keyUsage && $0.isUsable }?.id
    }
}
