/// Who owns the certificate in a device's Network Operator DS cell, found once per shared cell
/// set: the devices a store reads share their cells' storage with the few sets the estate has,
/// so a report over millions of devices looks up a handful of certificates, not one per device.
struct NetworkOperatorHolders {
    private let ledger: Ledger
    private var known: [(storage: UInt, owner: String?)] = []
    /// Beyond this many cell sets (devices changed one by one), each is looked up afresh.
    private static let limit = 64

    init(ledger: Ledger) {
        self.ledger = ledger
    }

    /// The owner of the certificate in the cells' Network Operator DS cell, if there is one.
    mutating func owner(of cells: TrustAnchorCells) -> String? {
        let storage = cells.storageIdentity
        if let hit = known.first(where: { $0.storage == storage }) { return hit.owner }
        let owner = cells[.networkOperatorDS].flatMap { ledger.certificate($0)?.owner }
        if known.count < Self.limit { known.append((storage, owner)) }
        return owner
    }
}

/// Device IDs asked about in ascending order, answered by walking a sorted list once rather
/// than hashing each: a report asks of every device, in ID order, whether it is among a few.
struct AscendingIDs {
    private let ids: [EUI64]
    private var next = 0

    init(_ ids: some Sequence<EUI64>) {
        self.ids = ids.sorted()
    }

    /// Whether `id` is among the IDs; each call must ask of an ID above the last one's.
    mutating func contains(_ id: EUI64) -> Bool {
        while next < ids.count && ids[next] < id { next += 1 }
        return next < ids.count && ids[next] == id
    }
}
