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
    /// - Throws: ``RequestError/unknownCertificate(_:)`` when the replacement names nothing.
    public init(estate: Estate, filter: DeviceFilter, replacement: String) throws(RequestError) {
        let ledger = estate.ledger
        certificates = try ledger.resolveCertificates(replacement)
        let signing = certificates.first { ledger.certificate($0)?.keyUsage == .digitalSigning }
        let matching = estate.devices.devices.filter { filter.matches($0, in: ledger) }
        pending = matching.filter { device in
            !(signing != nil && device.cells[.networkOperatorDS] == signing && ledger.recordedCounters[device.id] != nil)
        }.map(\.id)
        skipped = matching.count - pending.count
    }
}
