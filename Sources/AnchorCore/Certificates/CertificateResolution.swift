extension Ledger {
    /// The certificates named by `--cert`: a certificate ID, an organisation ID (its current
    /// DS and KA pair), or `acb` for the Access Control Broker's pair.
    ///
    /// For an organisation, the newest certificate of each key usage that is in the repository
    /// and not revoked is chosen, falling back to the newest of any kind so a revoked one is
    /// still named (and then refused with `certificate-revoked`).
    /// - Throws: ``RequestError/unknownCertificate(_:suggestion:)`` when nothing matches.
    public func resolveCertificates(_ specification: String) throws(RequestError) -> [String] {
        if certificate(specification) != nil { return [specification] }
        let ownerID = specification == "acb" ? soleOrganisation(withRole: .acb)?.id : specification
        guard let ownerID, organisation(ownerID) != nil else { throw unknownCertificate(specification) }
        let owned = certificates(ownedBy: ownerID)
        let chosen = KeyUsage.allCases.compactMap { usage -> String? in
            let ofUsage = owned.filter { $0.keyUsage == usage }
            return (ofUsage.last(where: \.isUsable) ?? ofUsage.last)?.id
        }
        guard !chosen.isEmpty else { throw unknownCertificate(specification) }
        return chosen
    }
}
