import AnchorCore
import GBCS
import SMKI

/// An `ExecutionOutcome` (from a CS02b response or a future-dated alert) as the engine's
/// ``CredentialsUpdateResponse``: certificates named by their key identifiers, floors by role.
enum OutcomeReading {
    /// The outcome read against the certificates the DCC knows.
    /// - Parameter sent: the command's replacements, in order, when the DCC has them: they name a
    ///   replacement whose key identifier it does not know. Without them such a line is left out.
    static func response(
        _ payload: CS02bResponsePayload, sent: [UpdateSecurityCredentialsCommand.Replacement], directory: CertificateDirectory
    ) -> CredentialsUpdateResponse {
        func subject(_ keyIdentifier: [UInt8]) -> CertificateSubject? {
            directory.id(ofKeyIdentifier: keyIdentifier).flatMap { id in directory[id]?.subject(id: id) }
        }
        var results: [CredentialsUpdateResponse.ReplacementResult] = []
        for (index, outcome) in payload.outcomes.enumerated() {
            let fallback = index < sent.count ? sent[index] : nil
            guard sent.isEmpty || fallback != nil,
                  let targetCell = outcome.cell.cell ?? fallback?.targetCell,
                  let replacing = subject(outcome.replacingKeyIdentifier) ?? fallback?.certificate
            else { continue }
            results.append(CredentialsUpdateResponse.ReplacementResult(
                targetCell: targetCell,
                status: UInt8(exactly: outcome.status).flatMap(CredentialsUpdateStatus.init(rawValue:)) ?? .other,
                existing: subject(outcome.existingKeyIdentifier), replacing: replacing))
        }
        var floors: [OrganisationRole: OriginatorCounter] = [:]
        for change in payload.floorChanges {
            if let role = OrganisationRole.allCases.first(where: { UInt64($0.remotePartyRoleCode) == change.role }) {
                floors[role] = OriginatorCounter(change.floor)
            }
        }
        return CredentialsUpdateResponse(
            originatorCounter: OriginatorCounter(payload.authorisingSequenceNumber), results: results, floorChanges: floors)
    }
}
