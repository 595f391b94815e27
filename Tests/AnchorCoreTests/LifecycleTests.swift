import AnchorCore
import GPFSimulator
import Testing

@Suite("Organisation lifecycle: subscribe, cease, revoke (FIA Req 4, 5, 6)")
struct LifecycleTests {
    typealias F = EstateFixture

    func decide(_ action: OrganisationAction, _ organisation: String, _ estate: Estate) throws -> LifecycleDecision {
        try OrganisationLifecycle.decide(action, organisation: organisation, estate: estate, now: F.now)
    }

    /// Decides and, when there is a change, applies it; returns the record.
    @discardableResult
    func perform(_ action: OrganisationAction, _ organisation: String, _ estate: inout Estate) throws -> LifecycleRecord? {
        guard case .change(let change) = try decide(action, organisation, estate) else { return nil }
        estate.apply(change)
        return change.record
    }

    @Test func ceaseIsRefusedWhileDevicesHoldItsCertificatesThenSucceedsAfterTheHandBack() throws {
        var estate = F.estate()
        let refused = try #require(try perform(.cease, "national-grid", &estate))
        #expect(refused.outcome == .rejected)
        #expect(refused.reason == .certificatesOnDevices)
        #expect(refused.devicesHoldingCertificates == 2)
        #expect(refused.detail.contains("anchordesk devices --filter no=national-grid"))
        #expect(estate.ledger.organisation("national-grid")?.dccUser == true)
        #expect(estate.ledger.lifecycle == [refused])

        try estate.handBack(F.nationalGridDevice)
        try estate.handBack(F.secondNationalGridDevice)
        let ceased = try #require(try perform(.cease, "national-grid", &estate))
        #expect(ceased.outcome == .succeeded)
        #expect(ceased.devicesHoldingCertificates == 0)
        #expect(estate.ledger.organisation("national-grid")?.dccUser == false)
        #expect(try decide(.cease, "national-grid", estate) == .unchanged("national-grid is already not a DCC User"))
    }

    @Test func revokeNeedsCeaseFirstThenRevokesAndForbidsSubscribing() throws {
        var estate = F.estate()
        try estate.handBack(F.nationalGridDevice)
        try estate.handBack(F.secondNationalGridDevice)
        let early = try #require(try perform(.revoke, "national-grid", &estate))
        #expect(early.reason == .stillDccUser)
        #expect(estate.ledger.certificate("ng-ds")?.isUsable == true)

        try perform(.cease, "national-grid", &estate)
        let revoked = try #require(try perform(.revoke, "national-grid", &estate))
        #expect(revoked.outcome == .succeeded)
        #expect(revoked.certificates == ["ng-ds", "ng-ka"])
        for id in ["ng-ds", "ng-ka"] {
            #expect(estate.ledger.certificate(id)?.revoked == true)
            #expect(estate.ledger.certificate(id)?.inRepository == false)
        }
        #expect(estate.ledger.organisation("national-grid")?.subscribed == false)
        #expect(estate.ledger.revocationRequest(of: "national-grid") == revoked)
        guard case .unchanged = try decide(.revoke, "national-grid", estate) else {
            Issue.record("a second revoke should change nothing")
            return
        }

        let subscribe = try #require(try perform(.subscribe, "national-grid", &estate))
        #expect(subscribe.outcome == .rejected)
        #expect(subscribe.reason == .noFurtherSubscription)
        #expect(estate.ledger.certificates(ownedBy: "national-grid").count == 2)

        // A Supplier's SRV6.21 for the departed GNO is refused; for Cadent it succeeds.
        let forNationalGrid = try estate.handOver(F.nationalGridDevice, to: "national-grid")
        #expect(forNationalGrid.reason == .gnoNotDccUser)
        #expect(try estate.handOver(F.nationalGridDevice, to: "cadent").outcome == .succeeded)
    }

    @Test func revokeIsRefusedWhileDevicesHoldTheCertificatesOfANonDCCUser() throws {
        var estate = F.estate()
        var organisations = estate.ledger.organisations
        let index = try #require(organisations.firstIndex { $0.id == "national-grid" })
        organisations[index].dccUser = false
        estate.ledger = Ledger(organisations: organisations, certificates: estate.ledger.certificates)
        let refused = try #require(try perform(.revoke, "national-grid", &estate))
        #expect(refused.reason == .certificatesOnDevices)
        #expect(refused.devicesHoldingCertificates == 2)
        #expect(estate.ledger.certificate("ng-ds")?.revoked == false)
    }

    @Test func aGNOThatNeverSubscribedMaySubscribeAndGetsAPair() throws {
        var estate = F.estate()
        let subscribed = try #require(try perform(.subscribe, "ngn", &estate))
        #expect(subscribed.outcome == .succeeded)
        #expect(subscribed.certificates == ["ngn-ds", "ngn-ka"])
        #expect(estate.ledger.organisation("ngn")?.subscribed == true)
        #expect(estate.ledger.organisation("ngn")?.dccUser == false)
        #expect(estate.ledger.certificate("ngn-ka")?.isUsable == true)
        #expect(try decide(.subscribe, "ngn", estate) == .unchanged("ngn already subscribes, with certificates in the SMKI Repository"))
        // Being subscribed is not being a DCC User (Req 2 needs both).
        #expect(try estate.handOver(F.acbDevice, to: "ngn").reason == .gnoNotDccUser)
    }

    @Test func unknownOrganisationsAndDCCPartiesAreBadInput() {
        let estate = F.estate()
        #expect(throws: RequestError.unknownOrganisation("nobody")) { try decide(.cease, "nobody", estate) }
        #expect(throws: RequestError.self) { try decide(.revoke, "dcc-acb", estate) }
        #expect(throws: RequestError.self) { try decide(.subscribe, "recovery", estate) }
    }

    @Test func devicesHoldingCertificatesCountsEveryCell() {
        let estate = F.estate()
        #expect(estate.devicesHoldingCertificates(of: "national-grid") == [F.nationalGridDevice, F.secondNationalGridDevice])
        #expect(estate.devicesHoldingCertificates(of: "heron") == [F.cadentDevice])
        #expect(estate.devicesHoldingCertificates(of: "ngn").isEmpty)
    }
}
