extension CounterRiskReport {
    /// A GPF whose Network Operator DS cell holds one of the ACB's certificates and that no log
    /// mentions: no request, recorded counter, schedule or alert. Each gives the same row
    /// (``unloggedRow(_:generated:)``), so a store that keeps its devices as rows can name them
    /// by an index, without reading their histories or building them whole.
    public struct UnloggedGPF: Hashable, Sendable {
        /// The GPF.
        public var device: EUI64
        /// Its Responsible Supplier.
        public var supplier: String

        /// A GPF named by a store.
        public init(device: EUI64, supplier: String) {
            self.device = device
            self.supplier = supplier
        }
    }

    /// The row of an unlogged GPF holding the ACB's certificate: no counter is recorded and no
    /// GNO is in the log, so its floor is unknown unless it is as manufactured.
    static func unloggedRow(_ gpf: UnloggedGPF, generated: OriginatorCounter?) -> Row {
        Row(device: gpf.device, supplier: gpf.supplier, recordedCounter: nil, nextGenerated: generated,
            risk: .noRecordedCounter, formerNetworkOperator: nil, advice: .unlogged)
    }

    /// ``unloggedAction(device:)`` for `device`, copied around its ID into one new string:
    /// millions of rows may be read so.
    static func unloggedAction(_ device: EUI64) -> String {
        let (before, after) = unloggedActionAroundDevice
        let deviceEnd = before.count + EUI64.canonicalLength
        return String(unsafeUninitializedCapacity: deviceEnd + after.count) { buffer in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.copyBytes(from: before)
            device.writeCanonical(into: UnsafeMutableRawBufferPointer(rebasing: raw[before.count..<deviceEnd]))
            UnsafeMutableRawBufferPointer(rebasing: raw[deviceEnd...]).copyBytes(from: after)
            return buffer.count
        }
    }

    /// What an unlogged GPF's row advises, for the device written `device`: the same text for
    /// every such GPF but for its ID (so a writer of millions of rows may prepare it once).
    public static func unloggedAction(device: String) -> String {
        "no GNO in the log: nothing to do if as manufactured; if a GNO ever held it, set a known floor first: \(recoveryCommand(device))"
    }

    /// ``unloggedAction(device:)``'s UTF-8 before and after the device's ID.
    private static let unloggedActionAroundDevice: (before: [UInt8], after: [UInt8]) = {
        let bytes = Array(unloggedAction(device: "\u{0}").utf8)
        let at = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return (Array(bytes[..<at]), Array(bytes[min(at + 1, bytes.endIndex)...]))
    }()

    /// The rows of `estate` and of the `unlogged` GPFs (in device-ID order, none of them in
    /// `estate`, each holding one of the ACB's certificates in `estate`'s ledger) merged in
    /// device-ID order: a part of the estate as a store that keeps its devices as rows reads it.
    public static func rows(estate: Estate, unlogged: [UnloggedGPF], _ each: (Row) -> Void) {
        guard !unlogged.isEmpty else { return rows(estate: estate, each) }
        let generated = nextGenerated(in: estate.ledger)
        var next = unlogged.startIndex
        rows(estate: estate) { row in
            while next < unlogged.endIndex, unlogged[next].device < row.device {
                each(unloggedRow(unlogged[next], generated: generated))
                next += 1
            }
            each(row)
        }
        for gpf in unlogged[next...] { each(unloggedRow(gpf, generated: generated)) }
    }
}
