import AnchorCore
import GPFSimulator
import Testing

@Suite("Who may do what")
struct AccessRuleTests {
    typealias F = EstateFixture

    @Test func replayingAnOldCounterIsRefusedByTheDevice() throws {
        var estate = F.estate()
        let record = try estate.handBack(F.nationalGridDevice, counter: F.nationalGridFloor)
        #expect(record.reason == .antiReplay)
        #expect(estate.networkOperatorCell(of: F.nationalGridDevice) == "ng-ds")
        #expect(estate.ledger.recordedCounters[F.nationalGridDevice] == nil)
    }

    @Test func aGNOCannotAddressAnotherGNOsCell() throws {
        var estate = F.estate()
        let record = try estate.handBack(F.cadentDevice)
        #expect(record.reason == .notAuthorised)
        #expect(estate.networkOperatorCell(of: F.cadentDevice) == "cadent-ds")
    }

    @Test func aSupplierCannotAddressAnotherSuppliersDevice() throws {
        var estate = F.estate()
        let record = try estate.handOver(F.acbDevice, supplier: "heron")
        #expect(record.reason == .notAuthorised)
        #expect(estate.networkOperatorCell(of: F.acbDevice) == "acb-ds")
    }

    @Test func handoverForAGNOThatIsNotADCCUserIsRefused() throws {
        var estate = F.estate()
        let record = try estate.handOver(F.acbDevice, to: "ngn")
        #expect(record.reason == .gnoNotDccUser)
        #expect(estate.networkOperatorCell(of: F.acbDevice) == "acb-ds")
    }

    @Test func handoverForAGNOWithoutRepositoryCertificatesIsRefused() throws {
        var estate = F.estate()
        estate.ledger = Ledger(
            organisations: F.organisations(),
            certificates: F.certificates().map { var c = $0; if c.owner == "cadent" { c.inRepository = false }; return c })
        #expect(try estate.handOver(F.acbDevice).reason == .gnoNotDccUser)
    }

    @Test func revokedCertificatesAreNeverPlaced() throws {
        var estate = F.estate()
        estate.ledger = Ledger(
            organisations: F.organisations(),
            certificates: F.certificates().map { var c = $0; if c.owner == "cadent" || c.id == "acb-ka" { c.revoked = true }; return c })
        #expect(try estate.handOver(F.acbDevice).reason == .certificateRevoked)
        #expect(try estate.handBack(F.nationalGridDevice).reason == .certificateRevoked)
        #expect(estate.networkOperatorCell(of: F.nationalGridDevice) == "ng-ds")
    }

    @Test func handoverWhileAGNOStillHoldsTheCellIsRefused() throws {
        var estate = F.estate()
        #expect(try estate.handOver(F.nationalGridDevice).reason == .notAuthorised)
    }

    @Test func onlyGPFsAreInScope() throws {
        var estate = F.estate()
        #expect(try estate.handOver(F.electricityMeter).reason == .notAGPF)
        let record = try estate.submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: F.electricityMeter, replacementCertificates: ["acb-ds"])))
        #expect(record.reason == .notAGPF)
    }

    @Test func aSupplierCannotSendSRV6151ForNOCells() throws {
        var estate = F.estate()
        let record = try estate.submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "brightwater", device: F.acbDevice, replacementCertificates: ["cadent-ds"])))
        #expect(record.reason == .notAuthorised)
    }

    @Test func aGNOThatIsNotADCCUserCannotSendRequests() throws {
        var estate = F.estate()
        var organisations = F.organisations()
        organisations[2].dccUser = false
        estate.ledger = Ledger(organisations: organisations, certificates: F.certificates())
        #expect(try estate.handBack(F.nationalGridDevice).reason == .notAuthorised)
    }

    @Test func aDuplicateRequestIdIsNotSentAgain() throws {
        var estate = F.estate()
        let first = try estate.handBack(F.nationalGridDevice, counter: F.nationalGridLast + 1)
        #expect(first.outcome == .succeeded)
        let deviceBefore = estate.devices[F.nationalGridDevice]
        let second = try estate.handBack(F.nationalGridDevice, counter: F.nationalGridLast + 1)
        #expect(second.reason == .duplicateRequest)
        #expect(estate.devices[F.nationalGridDevice] == deviceBefore)
    }

    @Test func unknownIdentifiersAreBadInput() {
        let estate = F.estate()
        let unknownDevice = EUI64(rawValue: 0xFFFF)
        #expect(throws: RequestError.unknownDevice(unknownDevice.description)) {
            try estate.evaluate(.requestHandover(HandoverRequest(supplier: "brightwater", device: unknownDevice, networkOperator: "cadent")), now: F.now)
        }
        #expect(throws: RequestError.unknownOrganisation("nobody")) {
            try estate.evaluate(.requestHandover(HandoverRequest(supplier: "nobody", device: F.acbDevice, networkOperator: "cadent")), now: F.now)
        }
        #expect(throws: RequestError.unknownCertificate("no-such-cert")) {
            try estate.evaluate(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: "national-grid", device: F.nationalGridDevice, replacementCertificates: ["no-such-cert"])), now: F.now)
        }
        #expect(throws: RequestError.unknownCertificate("nobody")) { try estate.ledger.resolveCertificates("nobody") }
    }

    @Test func certificateSpecificationsResolveToPairs() throws {
        let ledger = F.estate().ledger
        #expect(try ledger.resolveCertificates("acb") == ["acb-ds", "acb-ka"])
        #expect(try ledger.resolveCertificates("cadent") == ["cadent-ds", "cadent-ka"])
        #expect(try ledger.resolveCertificates("ng-ka") == ["ng-ka"])
    }

    @Test func aDeviceThatDoesNotAnswerIsRecordedAsNoResponse() throws {
        let estate = F.estate()
        let change = try estate.evaluate(
            .requestHandover(HandoverRequest(supplier: "brightwater", device: F.acbDevice, networkOperator: "cadent")),
            now: F.now, unresponsive: [F.acbDevice])
        #expect(change.ledger.request.reason == .noResponse)
        #expect(change.device == nil)
    }
}
