extension Estate {
    /// The devices any of whose Trust Anchor Cells hold one of an organisation's certificates,
    /// in device-ID order.
    public func devicesHoldingCertificates(of organisation: String) -> [EUI64] {
        let owned = Set(ledger.certificates(ownedBy: organisation).map(\.id))
        guard !owned.isEmpty else { return [] }
        // Devices loaded from one snapshot cell set share storage: decide once per cell set.
        var decided: [UInt: Bool] = [:]
        var holding: [EUI64] = []
        for device in devices {
            let identity = device.cells.storageIdentity
            let holds: Bool
            if let known = decided[identity] {
                holds = known
            } else {
                holds = device.cells.all.contains { $0.certificate.map(owned.contains) ?? false }
                decided[identity] = holds
            }
            if holds { holding.append(device.id) }
        }
        return holding
    }

    /// The `--filter` expression that lists the devices holding an organisation's certificates,
    /// when one exists for its role.
    public static func holdingFilter(for organisation: Organisation) -> String? {
        switch organisation.role {
        case .networkOperator: "no=\(organisation.id)"
        case .supplier: "supplier=\(organisation.id)"
        default: nil
        }
    }
}
