import AnchorCore
import GPFSimulator
import Testing

@Suite("Recovery Events: authorised by the Recovery cell, NO floor recorded")
struct RecoveryTests {
    typealias F = EstateFixture

    func recover(_ device: EUI64, with certificates: [String] = ["acb-ds", "acb-ka"], newFloor: UInt64 = 0,
                 in estate: inout Estate) throws -> RequestRecord {
        try estate.submit(.recovery(RecoveryRequest(device: device, replacementCertificates: certificates,
                                                    newFloor: OriginatorCounter(newFloor), reason: "SMKI PMA Recovery Event")))
    }

    @Test func aRecoveryPlacesTheACBRecordsTheFloorAndTheHandoverThenSucceeds() throws {
        var estate = F.estate()
        let record = try recover(F.nationalGridDevice, newFloor: 5, in: &estate)
        #expect(record.outcome == .succeeded, "\(record.detail)")
        #expect(record.service == .recovery)
        #expect(record.originator == "recovery")
        #expect(record.originatorCounter.value == 1)
        #expect(record.recovery == RecoveryDetails(reason: "SMKI PMA Recovery Event", previousHolder: "national-grid",
                                                   newFloor: OriginatorCounter(5)))
        #expect(record.deviceFloor?.value == 5)
        #expect(estate.ledger.recordedCounters[F.nationalGridDevice]?.value == 5)
        #expect(estate.ledger.counterHistory[F.nationalGridDevice]?.map(\.service) == [.recovery])
        #expect(estate.devices[F.nationalGridDevice]?.floors[.networkOperator].value == 5)
        #expect(estate.devices[F.nationalGridDevice]?.floors[.recovery].value == 1)
        #expect(estate.ledger.organisation("recovery")?.lastCounter.value == 1)
        #expect(estate.networkOperatorCell(of: F.nationalGridDevice) == "acb-ds")

        let handover = try estate.handOver(F.nationalGridDevice)
        #expect(handover.outcome == .succeeded, "\(handover.detail)")
        #expect(handover.originatorCounter.value == F.acbGenerated)
    }

    @Test func aFloorAboveTheACBSequenceIsRecordedSoTheHandoverUsesItPlusOne() throws {
        var estate = F.estate()
        #expect(try recover(F.nationalGridDevice, newFloor: 9_000_000, in: &estate).outcome == .succeeded)
        let handover = try estate.handOver(F.nationalGridDevice)
        #expect(handover.outcome == .succeeded)
        #expect(handover.originatorCounter.value == 9_000_001)
    }

    @Test func refusalsAreLogged() throws {
        var estate = F.estate()
        #expect(try recover(F.electricityMeter, in: &estate).reason == .notAGPF)

        var revoked = F.estate()
        var certificates = revoked.ledger.certificates
        let index = try #require(certificates.firstIndex { $0.id == "cadent-ds" })
        certificates[index].revoked = true
        revoked.ledger = Ledger(organisations: revoked.ledger.organisations, certificates: certificates)
        #expect(try recover(F.nationalGridDevice, with: ["cadent-ds", "cadent-ka"], in: &revoked).reason == .certificateRevoked)

        // A device whose Recovery floor is already above the Recovery key's counter refuses it.
        var device = try #require(estate.devices[F.acbDevice])
        device.floors[.recovery] = OriginatorCounter(1_000)
        var guarded = Estate(ledger: estate.ledger, devices: DeviceTable(estate.devices.map { $0.id == device.id ? device : $0 }))
        let replayed = try recover(F.acbDevice, in: &guarded)
        #expect(replayed.reason == .antiReplay)
        #expect(replayed.detail.contains("Recovery floor"))
        #expect(guarded.ledger.recordedCounters[F.acbDevice] == nil)
    }

    @Test func badInputChangesNothing() {
        let estate = F.estate()
        #expect(throws: RequestError.self) {
            try estate.evaluate(.recovery(RecoveryRequest(device: F.acbDevice, replacementCertificates: ["acb-ds"],
                                                          newFloor: OriginatorCounter(0), reason: "  ")), now: F.now)
        }
        #expect(throws: RequestError.unknownCertificate("nope")) {
            try estate.evaluate(.recovery(RecoveryRequest(device: F.acbDevice, replacementCertificates: ["nope"],
                                                          newFloor: OriginatorCounter(0), reason: "x")), now: F.now)
        }
        #expect(throws: RequestError.unknownDevice(EUI64(rawValue: 1).description)) {
            try estate.evaluate(.recovery(RecoveryRequest(device: EUI64(rawValue: 1), replacementCertificates: ["acb-ds"],
                                                          newFloor: OriginatorCounter(0), reason: "x")), now: F.now)
        }
    }
}
