import AnchorCore
import DUISServer
import Foundation
import OperatorClient
import SMKI

/// What `orgs` and `org show` read: the organisations, their certificates and lifecycle, the
/// Repository's certificates, and how many devices hold each organisation's certificates; from
/// the store, or from a DSP's operator API (`GET …/organisations`), with the same output.
struct OrganisationsReading {
    let ledger: Ledger
    /// The Repository's certificates by ID (serial, subject, validity), when asked for.
    let issued: [String: OrganisationCertificate]
    /// How many devices hold any of an organisation's certificates.
    let holding: (String) -> Int

    /// Reads them; the Repository's certificates only if `issued`.
    static func read(_ options: CommonOptions, issued: Bool) throws(CLIFailure) -> OrganisationsReading {
        if let connection = try options.operatorAPI() {
            let reply: OperatorReplies.Organisations = try OperatorCall.json(connection.get(OperatorAPIPath.organisations), from: connection)
            var certificates: [String: OrganisationCertificate] = [:]
            for (id, base64) in reply.certificateDER {
                certificates[id] = try OperatorCall.certificate(base64, from: connection, what: "its certificate \(Presentation.safe(id))")
            }
            let holdings = reply.holdings
            return OrganisationsReading(ledger: reply.ledger, issued: certificates, holding: { holdings[$0] ?? 0 })
        }
        let store = try options.openForReading()
        let estate = store.estate
        let material = issued ? try Credentials.read(options, ledger: estate.ledger) : nil
        return OrganisationsReading(ledger: estate.ledger, issued: material?.certificates ?? [:],
                                    holding: { estate.devicesHoldingCertificates(of: $0).count })
    }
}
