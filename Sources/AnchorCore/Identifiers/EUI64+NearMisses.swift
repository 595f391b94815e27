extension EUI64 {
    /// The IDs one slip of the keyboard away from this one: each with one hex digit changed, or
    /// with two adjacent digits swapped (255 at most), in ascending order. A store looks them up
    /// by ID to offer "did you mean" for an unknown device without a pass over its devices.
    public var nearMisses: [EUI64] {
        var ids = Set<EUI64>()
        for position in 0..<16 {
            let shift = UInt64(position * 4)
            let digit = (rawValue >> shift) & 0xF
            for other in 0..<UInt64(16) where other != digit {
                ids.insert(EUI64(rawValue: rawValue & ~(0xF << shift) | other << shift))
            }
            guard position < 15 else { continue }
            let next = (rawValue >> (shift + 4)) & 0xF
            guard next != digit else { continue }
            let cleared = rawValue & ~(0xFF << shift)
            ids.insert(EUI64(rawValue: cleared | digit << (shift + 4) | next << shift))
        }
        return ids.sorted()
    }
}

extension DeviceTable {
    /// A device one slip away from `id` (``EUI64/nearMisses``), the lowest if several are.
    public func nearMiss(of id: EUI64) -> EUI64? {
        id.nearMisses.first { self[$0] != nil }
    }
}
