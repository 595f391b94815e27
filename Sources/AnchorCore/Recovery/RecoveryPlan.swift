/// Which devices a Recovery Event over a filter will address, worked out before anything is sent.
///
/// The CLI (`anchordesk recovery`) and the console both plan with it, so the preview the
/// operator confirms and the run that follows agree, and a rerun skips what is done.
public struct RecoveryPlan: Hashable, Sendable {
    /// The replacement certificate IDs, resolved from the `--replace-with` specification.
    public var certificates: [String]
    /// The matching devices still to do, in store order.
    public var pending: [EUI64]
    /// Matching devices already done: their NO DS cell holds the replacement and a counter is recorded.
    public var skipped: Int

    /// Plans a Recovery Event.
    /// - Parameters:
    ///   - estate: the estate to plan against.
    ///   - filter: which devices.
    ///   - replacement: `acb`, an owner's ID or a certificate ID (as ``Ledger/resolveCertificates(_:)``).
    /// - Throws: ``RequestError/unknownCertificate(_:suggestion:)`` when the replacement names nothing.
    public init(estate: Estate, filter: DeviceFilter, replacement: String) throws(RequestError) {
        try self.init(ledger: estate.ledger, matching: estate.devices(matching: filter),
                      replacement: replacement)
    }

    /// Plans a Recovery Event over devices already selected by its filter.
    /// - Parameters:
    ///   - ledger: the organisations, certificates and recorded counters (of those devices at least).
    ///   - matching: the devices the filter selects, in store order.
    ///   - replacement: as ``init(estate:filter:replacement:)``.
    /// - Throws: ``RequestError/unknownCertificate(_:suggestion:)`` when the replacement names nothing.
    public init(ledger: Ledger, matching: [Device], replacement: String) throws(RequestError) {
        certificates = try ledger.resolveCertificates(replacement)
        let signing = certificates.first { ledger.certificate($0)?.keyUsage == .digitalSigning }
        pending = matching.filter { device in
            !(signing != nil && device.cells[.networkOperatorDS] == signing && ledger.recordedCounters[device.id] != nil)
        }.map(\.id)
        skipped = matching.count - pending.count
    }
}
