import AnchorCore
import AnchorStore
import DUIS
import Foundation
import SMKI

extension DUISService {
    /// A draft an operator asked for, unsigned, with the User's XML-signing certificate (DER) that
    /// the signature will name; the store is read on the deciding queue, as a request is decided.
    func prepare(_ draft: DUISRequestDraft) async -> Result<(xml: [UInt8], xmlSigningCertificate: [UInt8]), OperatorFailure> {
        await perform(on: queue) {
            defer { self.scheduleIdleClose() }
            do {
                let ledger = try self.openSession().estate.ledger
                let vault = CredentialVault(storeDirectory: self.configuration.storeDirectory)
                guard let material = try vault.load(for: ledger) else { return .failure(.unavailable("the store has no SMKI vault")) }
                let document = try draft.document(in: DUISRepository(material: material, ledger: ledger))
                let signer = try ledger.existingOrganisation(draft.organisation)
                guard let certificate = try vault.loadXMLSigningCertificates()[signer.entityId] else {
                    return .failure(.refused("\(signer.id) has no XML-signing certificate in the Repository"))
                }
                return .success((document, certificate.der))
            } catch let error as RequestError {
                return .failure(.badRequest(error.description))
            } catch {
                return .failure(.unavailable("\(error)"))
            }
        }
    }
}

/// Why the operator API did not do what was asked, as one line and an HTTP status.
enum OperatorFailure: Error, Sendable {
    /// The request names something that does not exist or is malformed (400).
    case badRequest(String)
    /// The operator may not do this (403).
    case refused(String)
    /// The DSP cannot answer now (503).
    case unavailable(String)

    var status: Int {
        switch self {
        case .badRequest: 400
        case .refused: 403
        case .unavailable: 503
        }
    }

    var reason: String {
        switch self {
        case .badRequest(let why), .refused(let why), .unavailable(let why): why
        }
    }
}
