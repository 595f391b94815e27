/// The checks and pieces every CS02b-sending handler shares, so SRV6.15.1, SRV6.21 and
/// Recovery Events refuse the same things with the same words.
enum RequestScreening {
    /// The replacement certificates a request names, at most one per key usage.
    /// - Throws: ``RequestError/unknownCertificate(_:suggestion:)`` or ``RequestError/invalidRequest(_:)``.
    static func replacementCertificates(_ ids: [String], ledger: Ledger, service: String) throws(RequestError) -> [Certificate] {
        guard !ids.isEmpty else {
            throw .invalidRequest("\(service) needs at least one replacement certificate")
        }
        var replacements: [Certificate] = []
        for id in ids {
            guard let certificate = ledger.certificate(id) else { throw ledger.unknownCertificate(id) }
            replacements.append(certificate)
        }
        if Set(replacements.map(\.keyUsage)).count != replacements.count {
            throw .invalidRequest("give at most one Digital Signing and one Key Agreement certificate")
        }
        return replacements
    }

    /// A refusal that is the same whoever sends: a reused Request ID, or a device out of scope.
    static func commonRefusal(
        requestId: String, device: DeviceInventoryEntry, ledger: Ledger
    ) -> (reason: RejectionReason, detail: String)? {
        if ledger.hasUsed(requestId: requestId) {
            return (.duplicateRequest, "Request ID \(requestId) was used before; nothing was sent")
        }
        if device.type != .gpf {
            return (.notAGPF, "\(device.id) is a \(device.type.rawValue), not a SMETS2 GPF")
        }
        return nil
    }

    /// A refusal because a replacement certificate may not be placed: revoked, or not published.
    static func replacementRefusal(_ replacements: [Certificate]) -> (reason: RejectionReason, detail: String)? {
        if let revoked = replacements.first(where: \.revoked) {
            return (.certificateRevoked, "certificate \(revoked.id) is revoked")
        }
        if let unpublished = replacements.first(where: { !$0.inRepository }) {
            return (.certificateNotInRepository, "certificate \(unpublished.id) is not in the SMKI Repository")
        }
        return nil
    }

    /// Each certificate aimed at the Network Operator cell of its key usage.
    static func networkOperatorReplacements(_ certificates: [Certificate], ledger: Ledger) -> [UpdateSecurityCredentialsCommand.Replacement] {
        certificates.compactMap { certificate in
            guard let subject = ledger.subject(ofCertificate: certificate.id),
                  let cell = TrustAnchorCell.cell(role: .networkOperator, keyUsage: certificate.keyUsage)
            else { return nil }
            return .init(certificate: subject, targetCell: cell)
        }
    }
}

extension RequestRecord {
    /// This record as a refusal: nothing sent, only the given counters consumed.
    func rejection(_ reason: RejectionReason, _ detail: String, counters: [String: OriginatorCounter] = [:]) -> LedgerChange {
        var record = self
        record.reason = reason
        record.detail = detail
        return LedgerChange(request: record, organisationCounters: counters, recorded: nil)
    }
}
