import AnchorCore
import DUIS
import DUISServer
import SMKI

/// The request a DSP drafted for an operator to sign as its User, read before anything is signed:
/// it must be the one asked for. The Request ID is the User's to the device asked for (with the
/// counter typed, or one below 2^52 unless a jump was allowed, as a typed one needs); the service,
/// execution, role and floor are those asked; the replacement certificates are one owner's, a DS
/// and a KA, in the role asked for (the ACB's for `acb`, else a Network Operator's or the ACB's;
/// a Network Operator's for SRV6.21), issued by the SMKI Organisation CA when the User's key
/// folder keeps it.
struct AskedDraft {
    let draft: DUISRequestDraft
    /// The signing User's entity, from the XML-signing certificate the signature will name.
    let signer: EUI64
    let allowCounterJump: Bool
    /// The SMKI Organisation CA kept with the User's keys, if it is: it must have issued the certificates.
    var issuer: OrganisationCertificate? = nil

    /// What is wrong with a draft.
    struct Mismatch: Error {
        let problem: String
    }

    /// The drafted request, or what is wrong with it.
    func check(_ xml: [UInt8]) -> Result<DUISRequest, Mismatch> {
        guard let document = try? ParsedXML(xml), let request = try? DUISRequest(document) else { return .failure(Mismatch(problem: "it is not a DUIS request")) }
        let id = request.requestID
        guard id.originator == signer, id.target == draft.device else {
            return .failure(Mismatch(problem: "it is a request from \(id.originator) to \(id.target), not from \(signer) to \(draft.device)"))
        }
        if let counter = draft.counter {
            guard id.counter == counter else { return .failure(Mismatch(problem: "its counter is \(id.counter), not the \(counter) asked for")) }
        } else if !allowCounterJump, id.counter >= 1 << 52 {
            return .failure(Mismatch(problem: "its counter \(id.counter) may be more than 2^52 past where the counters stand; pass --allow-counter-jump if that is meant"))
        }
        let body: CredentialsReplacement
        switch (draft.service, request.body) {
        case (.updateSecurityCredentials, .updateSecurityCredentials(let asked)) where request.commandVariant == 4:
            guard asked.floor == draft.newFloor else { return .failure(Mismatch(problem: "its floor is not the one asked for")) }
            body = asked
        case (.requestHandover, .requestHandover(let asked)) where request.commandVariant == 1:
            body = asked
        default:
            return .failure(Mismatch(problem: "it is not an SRV\(draft.service.rawValue) request"))
        }
        guard body.execution == draft.commandExecution, body.remotePartyRole == "NetworkOperator" else {
            return .failure(Mismatch(problem: "its execution or remote party role is not the one asked for"))
        }
        if let problem = certificatesProblem(body) { return .failure(Mismatch(problem: problem)) }
        return .success(request)
    }

    /// The draft's certificates, held to the rule its pre-command is held to (``PreCommandShape``).
    private func certificatesProblem(_ body: CredentialsReplacement) -> String? {
        let placed = [(TrustAnchorCell.networkOperatorDS, body.digitalSigning), (.networkOperatorKA, body.keyAgreement)]
            .compactMap { cell, der in der.map { (cell: cell, der: $0) } }
        let roles: Set<OrganisationRole> = switch draft.service {
        case .requestHandover: [.networkOperator]
        case .updateSecurityCredentials: PreCommandShape.roles(replacing: draft.certificate ?? "")
        }
        return PreCommandShape.placementProblem(
            placed, roles: roles, bothOfTheACBs: draft.service == .updateSecurityCredentials && draft.certificate == "acb",
            read: CertificateSummaries(issuer: issuer))
    }
}
