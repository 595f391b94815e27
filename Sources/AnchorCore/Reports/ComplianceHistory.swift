/// What the DCC's own logs say about the past: who held a device's Network Operator cells at
/// a given time, and whether an organisation was a DCC User with a usable certificate then.
///
/// *(model)* The DCC learns cell contents only from responses, so the past is rebuilt from the
/// request log: after a successful replacement the DS cell held its replacement's owner; before
/// it, the party the device authorised (the sender of a 6.15.1, the ACB for a 6.21, the holder a
/// Recovery Event recorded). Before a device's first logged change, its NO cells are taken to
/// have held what they hold now (or before that change) since commissioning.
public struct ComplianceHistory: Sendable {
    private let ledger: Ledger
    private var changesByDevice: [EUI64: [Int]] = [:]
    private var issuedAt: [String: Timestamp] = [:]
    private var revokedAt: [String: Timestamp] = [:]
    private var ceasedAt: [String: Timestamp] = [:]

    /// Indexes a ledger's logs.
    public init(ledger: Ledger) {
        self.ledger = ledger
        for (index, record) in ledger.requests.enumerated()
        where record.outcome == .succeeded && Self.signingReplacement(of: record, in: ledger) != nil {
            changesByDevice[record.device, default: []].append(index)
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
    public func networkOperatorHolder(of device: Device, at time: Timestamp) -> String? {
        let changes = changesByDevice[device.id] ?? []
        if let last = changes.last(where: { ledger.requests[$0].at <= time }) {
            return Self.signingReplacement(of: ledger.requests[last], in: ledger).flatMap { ledger.certificate($0)?.owner }
        }
        if let first = changes.first {
            return holderBefore(ledger.requests[first])
        }
        return device.cells[.networkOperatorDS].flatMap { ledger.certificate($0)?.owner }
    }

    /// The last organisation other than the ACB that the log shows in the device's NO cell, if any.
    public func formerNetworkOperator(of device: EUI64) -> String? {
        let acb = ledger.soleOrganisation(withRole: .acb)?.id
        for index in (changesByDevice[device] ?? []).reversed() {
            let record = ledger.requests[index]
            if let after = Self.signingReplacement(of: record, in: ledger).flatMap({ ledger.certificate($0)?.owner }), after != acb {
                return after
            }
            if let before = holderBefore(record), before != acb { return before }
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
        ledger.certificates(ownedBy: organisation).contains { certificate in
            if let issued = issuedAt[certificate.id], time < issued { return false }
            if let revoked = revokedAt[certificate.id] { return time < revoked }
            return certificate.isUsable
        }
    }

    private func holderBefore(_ record: RequestRecord) -> String? {
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
