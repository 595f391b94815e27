import AnchorCore
import Foundation
import GBCS
import SMKI

/// What a Network Operator's hand-back pre-command may hold for an operator's machine to sign it,
/// whoever prepared it: a Network Operator's credentials replacement (mode 3) authorised by its
/// own counter, replacing only the Network Operator cells (DS by a Digital Signing certificate,
/// KA by a Key Agreement one) with one owner's certificates in the role asked for (the ACB's for
/// `acb`, both of them, else a Network Operator's or the ACB's), changing no other party's floor
/// and carrying no key. Without it a DSP, or whoever answers in its name, could have the GNO sign away its
/// devices' cells to anyone.
enum PreCommandShape {
    /// What is wrong with `payload`, if anything, for a command with Originator Counter `counter`
    /// asked to place `asked` (`--cert`: `acb`, an owner or a certificate ID); its certificates
    /// read through `read` (a bulk run's pre-commands carry the same few).
    static func problem(_ payload: CS02bCommandPayload, counter: UInt64, replacing asked: String,
                        read: CertificateSummaries = CertificateSummaries()) -> String? {
        guard payload.mode == 3 else { return "credentials replacement mode \(payload.mode), not a Network Operator's (3)" }
        guard payload.authorisingSequenceNumber == counter else { return "it is authorised by another counter than its own" }
        guard payload.otherChanges == nil, payload.newSpecialistFloors == nil, payload.plaintextSymmetricKey == nil else {
            return "it changes other parties' floors or carries a key"
        }
        guard !payload.replacements.isEmpty, payload.replacements.count <= 2 else { return "it replaces \(payload.replacements.count) certificates" }
        var placed: [(cell: TrustAnchorCell, der: [UInt8])] = []
        for replacement in payload.replacements {
            guard let cell = replacement.target.cell, cell.role == .networkOperator, !placed.contains(where: { $0.cell == cell }) else {
                return "it replaces a cell other than the Network Operator's, or one twice"
            }
            placed.append((cell, replacement.certificate))
        }
        return placementProblem(placed, roles: roles(replacing: asked), bothOfTheACBs: asked == "acb", read: read)
    }

    /// What is wrong with the certificates placed into the Network Operator cells, if anything:
    /// each must be an Organisation Certificate of its cell's key usage (issued by the SMKI
    /// Organisation CA when `read` has it), in one of `roles`, all of them one owner's, and both
    /// cells filled when `bothOfTheACBs`. The draft a User signs (``AskedDraft``) and the
    /// pre-command it then signs are held to this one rule.
    static func placementProblem(_ placed: [(cell: TrustAnchorCell, der: [UInt8])], roles: Set<OrganisationRole>, bothOfTheACBs: Bool,
                                 read: CertificateSummaries) -> String? {
        var owners: Set<EUI64> = []
        for (cell, der) in placed {
            guard let certificate = read.summary(der), certificate.keyUsage == cell.keyUsage
            else { return "its certificate for the \(cell.rawValue) cell is not a \(cell.keyUsage.rawValue) Organisation Certificate\(read.issuer == nil ? "" : " the SMKI Organisation CA issued")" }
            guard roles.contains(certificate.role) else {
                return "its certificates are a \(certificate.role.label)'s, not \(roles == [.acb] ? "the ACB's" : roles == [.networkOperator] ? "a Network Operator's" : "a Network Operator's or the ACB's")"
            }
            owners.insert(certificate.owner)
        }
        guard !bothOfTheACBs || Set(placed.map(\.cell)) == [.networkOperatorDS, .networkOperatorKA] else { return "it does not place both of the ACB's certificates" }
        return owners.count == 1 ? nil : placed.isEmpty ? "it places no certificate" : "its certificates are two owners'"
    }

    /// The roles whose certificates an SRV6.15.1 placing `asked` (`--cert`) may carry into the
    /// Network Operator cells: the ACB's for `acb`, else a Network Operator's or the ACB's.
    static func roles(replacing asked: String) -> Set<OrganisationRole> {
        asked == "acb" ? [.acb] : [.acb, .networkOperator]
    }
}

/// What ``PreCommandShape`` reads of a replacement certificate, read once per distinct DER: the
/// 20,000 certificates of a 10,000-device run are the same two. With the SMKI Organisation CA
/// kept beside the User's keys (``AnchorStore/UserKeyDirectory/organisationCAName``), a
/// certificate it did not issue reads as none.
final class CertificateSummaries: @unchecked Sendable {
    /// The SMKI Organisation CA, when the User's key folder keeps it.
    let issuer: OrganisationCertificate?

    init(issuer: OrganisationCertificate? = nil) {
        self.issuer = issuer
    }

    /// An Organisation Certificate's key usage, owner and role.
    struct Summary {
        let keyUsage: KeyUsage
        let owner: EUI64
        let role: OrganisationRole
    }

    private let lock = NSLock()
    private var read: [[UInt8]: Summary?] = [:]
    /// Distinct certificates remembered; past that, each is read afresh.
    private static let remembered = 16

    /// The certificate's summary; `nil` unless it is an Organisation Certificate with one key
    /// usage, an entity ID and a role, issued by ``issuer`` when there is one.
    func summary(_ der: [UInt8]) -> Summary? {
        if let known = lock.withLock({ read[der] }) { return known }
        let summary = (try? OrganisationCertificate(der: der)).flatMap { certificate -> Summary? in
            guard let usage = certificate.keyUsage, let owner = certificate.entityId, let role = certificate.role,
                  issuer.map(certificate.isIssued(by:)) ?? true
            else { return nil }
            return Summary(keyUsage: usage, owner: owner, role: role)
        }
        lock.withLock { if read.count < Self.remembered { read[der] = summary } }
        return summary
    }
}
