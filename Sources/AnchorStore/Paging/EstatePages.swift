import AnchorCore

/// Pages over an estate held in memory, as the PostgreSQL backend's device table gives them:
/// each page's devices with their histories only (the DSP on a store directory answers a remote
/// console this way).
public struct EstatePages: Sendable {
    /// The whole estate.
    public let estate: Estate

    /// Pages over `estate`.
    public init(_ estate: Estate) {
        self.estate = estate
    }

    /// Up to `limit` devices matching `filter` from `start`, in the order `sort` gives, with the
    /// organisations, certificates and lifecycle log, and those devices' histories.
    public func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort, limit: Int) -> DevicePage {
        let devices = estate.devices
        // Positions only: a million rows cost 4 MB, and only the page's devices are copied.
        let matching = DeviceList.rows(estate, filter: filter, sort: sort)
        // A device that no longer matches (a request changed it) is placed by its ID.
        func position(_ id: EUI64) -> (index: Int, found: Bool) {
            if let index = matching.firstIndex(where: { devices[Int($0)].id == id }) { return (index, true) }
            return (matching.firstIndex { devices[Int($0)].id > id } ?? matching.count, false)
        }
        let chosen: ArraySlice<Int32>
        switch start {
        case .first: chosen = matching.prefix(limit)
        case .last: chosen = matching.suffix(limit)
        case .after(let id):
            let (index, found) = position(id)
            chosen = matching[(found ? index + 1 : index)...].prefix(limit)
        case .before(let id): chosen = matching[..<position(id).index].suffix(limit)
        case .at(let id): chosen = matching[position(id).index...].prefix(limit)
        }
        let page = chosen.map { devices[Int($0)] }
        let ids = Set(page.map(\.id))
        let histories = DeviceHistory.histories(in: estate.ledger).filter { ids.contains($0.key) }
        let ledger = DeviceHistory.ledger(head: estate.ledger, histories: histories)
        return DevicePage(preview: StorePreview(estate: Estate(ledger: ledger, devices: DeviceTable(page)), deviceCount: devices.count),
                          filter: filter, sort: sort, matching: matching.count, start: start, limit: limit)
    }

    /// How many devices hold any of each organisation's certificates in any cell, by organisation.
    public func holdings() -> [String: Int] {
        Dictionary(uniqueKeysWithValues: estate.ledger.organisations.map { ($0.id, estate.devicesHoldingCertificates(of: $0.id).count) })
    }
}
