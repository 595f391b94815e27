import AnchorCore
import DCCWire
import Crypto
import GPFSimulator
import SMKI
import Testing

@Suite("National Grid hands back, a Supplier places Cadent")
struct HandBackAndHandoverTests {
    typealias F = EstateFixture

    @Test func handBackRecordsTheCounterAndTheHandoverUsesRecordedPlusOne() throws {
        var estate = F.estate()
        let handBack = try estate.handBack(F.nationalGridDevice)
        let counter = F.nationalGridLast + 1
        #expect(handBack.outcome == .succeeded)
        #expect(handBack.originatorCounter.value == counter)
        #expect(handBack.recordedCounter?.value == counter)
        #expect(handBack.deviceFloor?.value == counter)
        #expect(handBack.requestId == "\(F.eui(0x31)):\(F.nationalGridDevice):\(counter)")
        #expect(estate.ledger.recordedCounters[F.nationalGridDevice]?.value == counter)
        #expect(estate.ledger.counterHistory[F.nationalGridDevice]?.map(\.counter.value) == [counter])
        #expect(estate.networkOperatorCell(of: F.nationalGridDevice) == "acb-ds")
        #expect(estate.devices[F.nationalGridDevice]?.cells[.networkOperatorKA] == "acb-ka")

        let handover = try estate.handOver(F.nationalGridDevice)
        #expect(handover.outcome == .succeeded, "\(handover.detail)")
        #expect(handover.originator == "dcc-acb")
        #expect(handover.requester == "brightwater")
        #expect(handover.generatedCounter?.value == F.acbGenerated)
        #expect(handover.storedCounter?.value == counter)
        #expect(handover.originatorCounter.value == counter + 1)
        #expect(handover.deviceFloor?.value == 0)
        #expect(estate.networkOperatorCell(of: F.nationalGridDevice) == "cadent-ds")
        #expect(estate.devices[F.nationalGridDevice]?.cells[.networkOperatorKA] == "cadent-ka")
        // The ACB's own sequence moves on by one; it does not jump to the raised counter.
        #expect(estate.ledger.organisation("dcc-acb")?.lastCounter.value == F.acbGenerated)
        #expect(estate.ledger.organisation("brightwater")?.lastCounter.value == 501)
    }

    @Test func legacyCountersFailAntiReplayAndPlaceNothing() throws {
        var estate = F.estate()
        try estate.handBack(F.secondNationalGridDevice)
        let handover = try estate.handOver(F.secondNationalGridDevice, legacy: true)
        #expect(handover.outcome == .rejected)
        #expect(handover.reason == .antiReplay)
        #expect(handover.originatorCounter.value == F.acbGenerated)
        #expect(handover.deviceFloor == nil)
        #expect(estate.networkOperatorCell(of: F.secondNationalGridDevice) == "acb-ds")
        #expect(estate.ledger.requests.last == handover)
        // And it stays impossible: the next legacy attempt fails too, the rule then succeeds.
        #expect(try estate.handOver(F.secondNationalGridDevice, legacy: true).reason == .antiReplay)
        #expect(try estate.handOver(F.secondNationalGridDevice).outcome == .succeeded)
    }

    @Test func recordedBelowGeneratedUsesTheGeneratedCounter() throws {
        var estate = F.estate()
        var device = F.device(F.nationalGridDevice, networkOperator: ("ng-ds", "ng-ka"), floor: 5)
        estate.devices.upsert(device)
        let handBack = try estate.handBack(F.nationalGridDevice, counter: 10)
        #expect(handBack.recordedCounter?.value == 10)
        let handover = try estate.handOver(F.nationalGridDevice)
        #expect(handover.originatorCounter.value == F.acbGenerated)
        #expect(handover.outcome == .succeeded)
        device = try #require(estate.devices[F.nationalGridDevice])
        #expect(device.cells[.networkOperatorDS] == "cadent-ds")
    }

    @Test func recordedEqualToGeneratedUsesRecordedPlusOne() throws {
        var estate = F.estate()
        estate.devices.upsert(F.device(F.nationalGridDevice, networkOperator: ("ng-ds", "ng-ka"), floor: 5))
        try estate.handBack(F.nationalGridDevice, counter: F.acbGenerated)
        let handover = try estate.handOver(F.nationalGridDevice)
        #expect(handover.originatorCounter.value == F.acbGenerated + 1)
        #expect(handover.outcome == .succeeded)
    }

    @Test func noRecordedCounterOnAFreshGPFUsesTheGeneratedCounter() throws {
        var estate = F.estate()
        let handover = try estate.handOver(F.acbDevice)
        #expect(handover.storedCounter == nil)
        #expect(handover.originatorCounter.value == F.acbGenerated)
        #expect(handover.outcome == .succeeded)
    }

    @Test func aFloorSetAboveTheCounterIsRecordedToo() throws {
        var estate = F.estate()
        let floor = F.nationalGridLast + 1_000_000
        let handBack = try estate.handBack(F.nationalGridDevice, newFloor: floor)
        #expect(handBack.deviceFloor?.value == floor)
        #expect(handBack.recordedCounter?.value == floor)
        let handover = try estate.handOver(F.nationalGridDevice)
        #expect(handover.originatorCounter.value == floor + 1)
        #expect(handover.outcome == .succeeded)
    }

    @Test func counterAtTheTopOfTheRangeIsRefusedWithoutSending() throws {
        var estate = F.estate()
        let handBack = try estate.handBack(F.nationalGridDevice, counter: UInt64.max)
        #expect(handBack.outcome == .succeeded)
        let handover = try estate.handOver(F.nationalGridDevice)
        #expect(handover.reason == .counterExhausted)
        #expect(estate.networkOperatorCell(of: F.nationalGridDevice) == "acb-ds")
    }

    @Test func theRecordedCounterKeepsTheHighestValue() throws {
        var estate = F.estate()
        try estate.handBack(F.nationalGridDevice)
        let high = try #require(estate.ledger.recordedCounters[F.nationalGridDevice])
        try estate.handOver(F.nationalGridDevice)
        // Cadent now holds the cell with floor 0 and hands back with a small counter.
        let cadentHandBack = try estate.submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "cadent", device: F.nationalGridDevice, replacementCertificates: ["acb-ds", "acb-ka"])))
        #expect(cadentHandBack.outcome == .succeeded)
        #expect(estate.ledger.recordedCounters[F.nationalGridDevice] == high)
        #expect(estate.ledger.counterHistory[F.nationalGridDevice]?.count == 2)
    }
}

@Suite("A wrong MAC or an answer the DCC cannot verify is logged and records nothing")
struct UnverifiedAnswerTests {
    typealias F = EstateFixture

    /// The device signs with its own key; the DCC side here expects another device key. The
    /// device refuses the MAC, the refusal's signature does not verify, and the engine logs the
    /// request as rejected with `unverified-response` and records no counter.
    @Test func aHandBackWhoseAnswerDoesNotVerifyIsLoggedAndRecordsNothing() throws {
        let estate = F.estate()
        let credentials = DemoCredentialsCache.credentials(for: estate.ledger)
        let believed = EstateCredentials(
            directory: credentials.directory, signingKeys: credentials.signingKeys, acbKeyAgreementKey: credentials.acbKeyAgreementKey,
            deviceKeys: DeviceKeyring(seed: Array(repeating: 7, count: 32), authority: credentials.deviceKeys.authority))
        let simulator = GPFSimulator(
            devices: DeviceTable([try #require(estate.devices[F.nationalGridDevice])]), directory: credentials.directory,
            keys: credentials.deviceKeys)
        var gateway = WireGateway(simulator: simulator, credentials: believed)
        let change = try RequestEngine.process(
            .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: "national-grid", device: F.nationalGridDevice, replacementCertificates: ["acb-ds", "acb-ka"],
                counter: nil, newFloor: nil)),
            ledger: estate.ledger, gateway: &gateway, now: F.now)
        #expect(change.request.outcome == .rejected)
        #expect(change.request.reason == .unverifiedResponse)
        #expect(change.recorded == nil)
        #expect(gateway.exchanges.count == 1 && gateway.exchanges[0].response != nil)
    }

    /// The DCC keys the MAC with a key-agreement key other than the ACB's certificate in the
    /// device's cell: the device discards the command, and says so in a signed alert.
    @Test func aHandBackWithAWrongMACIsDiscardedByTheDeviceAndLogged() throws {
        let estate = F.estate()
        let demo = DemoCredentialsCache.credentials(for: estate.ledger)
        let credentials = EstateCredentials(
            directory: demo.directory, signingKeys: demo.signingKeys, acbKeyAgreementKey: P256.KeyAgreement.PrivateKey(),
            deviceKeys: demo.deviceKeys)
        let change = try estate.evaluate(
            .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: "national-grid", device: F.nationalGridDevice, replacementCertificates: ["acb-ds", "acb-ka"],
                counter: nil, newFloor: nil)),
            now: F.now, credentials: credentials)
        #expect(change.ledger.request.outcome == .rejected)
        #expect(change.ledger.request.reason == .deviceError)
        #expect(change.ledger.request.detail.contains("MAC"))
        #expect(change.ledger.recorded == nil)
        #expect(change.device == nil)
    }
}
