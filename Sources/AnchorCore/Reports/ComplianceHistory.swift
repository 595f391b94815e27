/// What the DCC's own logs say about the past: who held a device's Network Operator cells at
/// a given time, and whether an organisation was a DCC User with a usable certificate then.
///
/// *(model)* The DCC learns cell contents only from responses and alerts, so the past is rebuilt
/// from the request and schedule logs: after a successful replacement (or, for a future-dated
/// one, from its execution time once its 0x8F66 alert arrived) the DS cell held its replacement's
/// owner; before it, the party the device authorised (the sender of a 6.15.1, the ACB for a 6.21,
/// the holder a Recovery Event recorded). Before a device's first logged change, its NO cells are taken to
/// have held what they hold now (or before that change) since commissioning.
public struct ComplianceHistory: Sendable {
    /// One logged change of a device's Network Operator DS cell.
    private struct CellChange: Sendable {
        var at: Timestamp
        /// Who held the cell before (as the authorising party shows), if known.
        var before: String?
        /// Who held it after: the owner of the signing replacement.
        var after: String?
    }

    private let ledger: Ledger
    /// The ACB's organisation ID, if there is exactly one ACB.
    private let acb: String?
    private var changesByDevice: [EUI64: [CellChange]] = [:]
    private var issuedAt: [String: Timestamp] = [:]
    private var revokedAt: [String: Timestamp] = [:]
    private var ceasedAt: [String: Timestamp] = [:]
    private let certificatesByOwner: [String: [Certificate]]

    /// Indexes a ledger's logs: successful requests change the cell when processed; a
    /// future-dated SRV6.15.1 changes it when its 0x8F66 alert says the device executed it.
    public init(ledger: Ledger) {
        self.ledger = ledger
        acb = ledger.soleOrganisation(withRole: .acb)?.id
        certificatesByOwner = Dictionary(grouping: ledger.certificates, by: \.owner)
        var scheduled: [String: RequestRecord] = [:]
        for record in ledger.requests {
            guard let replacement = Self.signingReplacement(of: record, in: ledger) else { continue }
            switch record.outcome {
            case .succeeded:
                changesByDevice[record.device, default: []].append(CellChange(
                    at: record.at, before: Self.holderBefore(record), after: ledger.certificate(replacement)?.owner))
            case .scheduled: scheduled[record.requestId] = record
            case .rejected: break
            }
        }
        for step in ledger.schedule where step.event == .executed {
            guard let record = scheduled[step.requestId], let replacement = Self.signingReplacement(of: record, in: ledger) else { continue }
            changesByDevice[step.device, default: []].append(CellChange(
                at: step.dueAt, before: step.sender, after: ledger.certificate(replacement)?.owner))
        }
        if !ledger.schedule.isEmpty {
            for device in changesByDevice.keys { changesByDevice[device]?.sort { $0.at < $1.at } }
        }
        for record in ledger.lifecycle where record.outcome == .succeeded {
            switch record.action {
            case .subscribe: for id in record.certificates { issuedAt[id] = issuedAt[id] ?? record.at }
            case .revoke: for id in record.certificates { revokedAt[id] = revokedAt[id] ?? record.at }
            case .cease: ceasedAt[record.organisation] = ceasedAt[record.organisation] ?? record.at
            }
        }
    }

    /// The organisation whose certificate the device's Network Operator DS cell held at a time.
    public func networkOperatorHolder(of device: DeviceInventoryEntry, at time: Timestamp) -> String? {
        networkOperatorHolder(of: device.id, at: time) { device.cells[.networkOperatorDS].flatMap { ledger.certificate($0)?.owner } }
    }

    /// The organisation whose certificate a device's Network Operator DS cell held at a time,
    /// given who holds it now (asked only when the logs show no change).
    func networkOperatorHolder(of device: EUI64, at time: Timestamp, now: () -> String?) -> String? {
        let changes = changesByDevice.isEmpty ? [] : changesByDevice[device] ?? []
        if let last = changes.last(where: { $0.at <= time }) { return last.after }
        if let first = changes.first { return first.before }
        return now()
    }

    /// The last organisation other than the ACB that the log shows in the device's NO cell, if any.
    public func formerNetworkOperator(of device: EUI64) -> String? {
        guard !changesByDevice.isEmpty else { return nil }
        for change in (changesByDevice[device] ?? []).reversed() {
            if let after = change.after, after != acb { return after }
            if let before = change.before, before != acb { return before }
        }
        return nil
    }

    /// Whether an organisation was a DCC User at a time: it is one now, or ceased after it.
    public func wasDccUser(_ organisation: Organisation, at time: Timestamp) -> Bool {
        if let ceased = ceasedAt[organisation.id] { return time < ceased }
        return organisation.dccUser
    }

    /// Whether an organisation had a certificate in the SMKI Repository, not revoked, at a time.
    public func hadUsableCertificate(_ organisation: String, at time: Timestamp) -> Bool {
        (certificatesByOwner[organisation] ?? []).contains { certificate in
            if let issued = issuedAt[certificate.id], time < issued { return false }
            if let revoked = revokedAt[certificate.id] { return time < revoked }
            return certificate.isUsable
        }
    }

    private static func holderBefore(_ record: RequestRecord) -> String? {
        switch record.service {
        case .updateSecurityCredentials: record.requester
        case .requestHandover: record.originator
        case .recovery: record.recovery?.previousHolder
        }
    }

    private static func signingReplacement(of record: RequestRecord, in ledger: Ledger) -> String? {
        record.certificates.first { ledger.certificate($0)?.keyUsage == .digitalSigning }
    }
}
