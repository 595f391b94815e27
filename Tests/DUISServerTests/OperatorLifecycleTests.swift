import AnchorCore
import AnchorStore
import DUISServer
import Foundation
import OperatorClient
import SMKI
import Testing

/// The DCC's organisation lifecycle actions through the operator API: only an operator granted
/// the DCC's actions may ask, and the durable record names it.
@Suite(.serialized) struct OperatorLifecycleTests {
    static let dccSubject = "CN=dcc,O=Operators"

    @Test func onlyAnOperatorGrantedTheDCCsActionsMayCeaseOrRevoke() async throws {
        let grant = OperatorGrants.Grant(subject: Self.dccSubject, organisations: [], dcc: true)
        try await OperatorHarness.with(extraGrants: [grant]) { harness in
            let store = harness.store
            let now = Date()
            let credential = try harness.authority.clientCredential(
                commonName: "dcc", organisationName: "Operators", validFrom: now - 3600, validUntil: now + 86_400)
            try #require(try TLSAuthority.subject(ofCertificatePEM: credential.certificatePEM) == Self.dccSubject)
            let dcc = try harness.connection(with: credential)
            let nationalGrid = try harness.connection(as: "national-grid")
            let before = try store.estate().ledger.lifecycle.count

            let cease = Self.body(.cease, "national-grid")
            let refused = try await offThePool { try nationalGrid.post(OperatorAPIPath.lifecycle, body: cease, contentType: "application/json") }
            #expect(refused.status == 403)
            #expect(String(decoding: refused.body, as: UTF8.self).contains("may not take the DCC's actions"))
            #expect(try store.estate().ledger.lifecycle.count == before)

            let decided = try await offThePool { try dcc.post(OperatorAPIPath.lifecycle, body: cease, contentType: "application/json") }
            #expect(decided.status == 200)
            let reply = try JSONDecoder().decode(OperatorLifecycle.Reply.self, from: Data(decided.body))
            let record = try #require(reply.record)
            #expect(record.outcome == .rejected && record.reason == .certificatesOnDevices)
            #expect(record.operatorSubject == Self.dccSubject)
            #expect(reply.listFilter == "no=national-grid")
            #expect(try store.estate().ledger.lifecycle.last == record)
            #expect(harness.lines.all.contains { $0.contains("operator '\(Self.dccSubject)'") && $0.contains("org cease national-grid: rejected") })

            for (body, reason) in [
                (Self.body(.cease, "national-grdi"), "national-grdi"),
                (Array("{\"action\": \"retire\", \"organisation\": \"sgn\"}".utf8), "the body is not a lifecycle action"),
            ] {
                let bad = try await offThePool { try dcc.post(OperatorAPIPath.lifecycle, body: body, contentType: "application/json") }
                let error = (try? JSONDecoder().decode(OperatorReplies.Failure.self, from: Data(bad.body)))?.error ?? ""
                #expect(bad.status == 400 && error.contains(reason), "\(bad.status) \(error)")
            }
            #expect(try store.estate().ledger.lifecycle.count == before + 1)
        }
    }

    private static func body(_ action: OrganisationAction, _ organisation: String) -> [UInt8] {
        (try? JSONEncoder().encode(OperatorLifecycle.Request(action: action, organisation: organisation))).map(Array.init) ?? []
    }
}
