/// The rules for an organisation's life as a DCC User and SMKI Subscriber (FIA Req 4, 5, 6).
///
/// Pure, like ``RequestEngine``: it reads the estate and returns what to commit. Refusals are
/// changes too (logged, like rejected requests); asking for the state an organisation is
/// already in changes nothing.
public enum OrganisationLifecycle {
    /// Decides one action.
    /// - Parameters:
    ///   - action: subscribe, cease or revoke.
    ///   - organisationId: whose.
    ///   - estate: the current estate (devices are scanned for the organisation's certificates).
    ///   - now: the time to stamp on the log entry.
    /// - Throws: ``RequestError`` for an unknown organisation or one whose role has no such
    ///   lifecycle (only Suppliers and Network Operators have one here).
    public static func decide(
        _ action: OrganisationAction, organisation organisationId: String, estate: Estate, now: Timestamp
    ) throws(RequestError) -> LifecycleDecision {
        try decide(action, organisation: organisationId, ledger: estate.ledger, now: now) {
            estate.devicesHoldingCertificates(of: $0).count
        }
    }

    /// As ``decide(_:organisation:estate:now:)``, for a store that counts the devices holding an
    /// organisation's certificates itself, without holding the estate.
    /// - Parameter holding: how many devices hold any of an organisation's certificates; asked
    ///   only for a cease or a revocation.
    public static func decide(
        _ action: OrganisationAction, organisation organisationId: String, ledger: Ledger, now: Timestamp,
        holding holdingCount: (String) throws(RequestError) -> Int
    ) throws(RequestError) -> LifecycleDecision {
        guard let organisation = ledger.organisation(organisationId) else { throw ledger.unknownOrganisation(organisationId) }
        guard [.networkOperator, .supplier].contains(organisation.role) else {
            throw .invalidRequest("\(organisation.id) is a \(organisation.role.label); only Suppliers and Network Operators subscribe, cease or revoke here")
        }
        let holding = action == .subscribe ? 0 : try holdingCount(organisation.id)
        var record = LifecycleRecord(
            action: action, organisation: organisation.id, outcome: .succeeded, reason: nil, detail: "",
            devicesHoldingCertificates: holding, certificates: [], at: now)
        func refused(_ reason: LifecycleRefusal, _ detail: String) -> LifecycleDecision {
            record.outcome = .rejected
            record.reason = reason
            record.detail = detail
            return .change(LifecycleChange(record: record, dccUser: organisation.dccUser, subscribed: organisation.subscribed, certificates: []))
        }
        let handBack = Estate.holdingFilter(for: organisation).map { " (list them: anchordesk devices --filter \($0))" } ?? ""

        switch action {
        case .subscribe:
            if let revocation = ledger.revocationRequest(of: organisation.id) {
                return refused(.noFurtherSubscription,
                               "\(organisation.id) asked for its certificates to be revoked on \(revocation.at.dateOnly) and may not subscribe to further Organisation Certificates (FIA Req 5)")
            }
            let owned = ledger.certificates(ownedBy: organisation.id)
            let missing = KeyUsage.allCases.filter { usage in !owned.contains { $0.keyUsage == usage && $0.isUsable } }
            if organisation.subscribed && missing.isEmpty {
                return .unchanged("\(organisation.id) already subscribes, with certificates in the SMKI Repository")
            }
            let issued = missing.map { usage in
                Certificate(id: newCertificateId(for: organisation.id, usage: usage, in: ledger), owner: organisation.id,
                            keyUsage: usage, inRepository: true)
            }
            record.certificates = issued.map(\.id)
            record.detail = "\(organisation.id) subscribes to SMKI Organisation Certificates"
                + (issued.isEmpty ? "" : "; issued \(record.certificates.joined(separator: ", ")) into the SMKI Repository")
            return .change(LifecycleChange(record: record, dccUser: organisation.dccUser, subscribed: true, certificates: issued))

        case .cease:
            guard organisation.dccUser else { return .unchanged("\(organisation.id) is already not a DCC User") }
            guard holding == 0 else {
                return refused(.certificatesOnDevices,
                               "\(holding) device\(holding == 1 ? "" : "s") still hold\(holding == 1 ? "s" : "") \(organisation.id)'s certificates; replace them with the ACB's before ceasing to be a DCC User (FIA Req 4), e.g. anchordesk org cease \(organisation.id) --hand-back\(handBack)")
            }
            record.detail = "\(organisation.id) is no longer a DCC User; no device holds its certificates"
            return .change(LifecycleChange(record: record, dccUser: false, subscribed: organisation.subscribed, certificates: []))

        case .revoke:
            let live = ledger.certificates(ownedBy: organisation.id).filter { !$0.revoked || $0.inRepository }
            if ledger.revocationRequest(of: organisation.id) != nil && live.isEmpty {
                return .unchanged("\(organisation.id) has already asked for revocation; it has no certificate left to revoke")
            }
            guard !organisation.dccUser else {
                return refused(.stillDccUser,
                               "\(organisation.id) is still a DCC User; it ceases first (anchordesk org cease \(organisation.id)), then asks for revocation (FIA Req 4, 5)")
            }
            guard holding == 0 else {
                return refused(.certificatesOnDevices,
                               "\(holding) device\(holding == 1 ? "" : "s") still hold\(holding == 1 ? "s" : "") \(organisation.id)'s certificates; revoking them would leave those devices with credentials nobody may replace\(handBack)")
            }
            let revoked = live.map { certificate in
                var certificate = certificate
                certificate.revoked = true
                certificate.inRepository = false
                return certificate
            }
            record.certificates = revoked.map(\.id)
            record.detail = revoked.isEmpty
                ? "\(organisation.id) asked for revocation; it had no certificates, and may not subscribe again"
                : "revoked \(record.certificates.joined(separator: ", ")); they left the SMKI Repository and \(organisation.id) may not subscribe again"
            return .change(LifecycleChange(record: record, dccUser: false, subscribed: false, certificates: revoked))
        }
    }

    /// `ORG-ds`, or `ORG-ds-2`, `ORG-ds-3`, ... when taken.
    private static func newCertificateId(for organisation: String, usage: KeyUsage, in ledger: Ledger) -> String {
        let base = "\(organisation)-\(usage.rawValue.lowercased())"
        var candidate = base
        var number = 2
        while ledger.certificate(candidate) != nil {
            candidate = "\(base)-\(number)"
            number += 1
        }
        return candidate
    }
}
