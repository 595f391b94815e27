import AnchorCore
import GPFSimulator
import Testing

@Suite("The simulated GPF behaves like a device")
struct GPFSimulatorTests {
    let network = CertificateSubject(certificateId: "gno-ds", entityId: EUI64(rawValue: 0x31), role: .networkOperator, keyUsage: .digitalSigning)
    let networkKA = CertificateSubject(certificateId: "gno-ka", entityId: EUI64(rawValue: 0x31), role: .networkOperator, keyUsage: .keyAgreement)
    let acb = CertificateSubject(certificateId: "acb-ds", entityId: EUI64(rawValue: 0x04), role: .acb, keyUsage: .digitalSigning)
    let acbKA = CertificateSubject(certificateId: "acb-ka", entityId: EUI64(rawValue: 0x04), role: .acb, keyUsage: .keyAgreement)
    let supplier = CertificateSubject(certificateId: "sup-ds", entityId: EUI64(rawValue: 0x21), role: .supplier, keyUsage: .digitalSigning)
    let deviceID = EUI64(rawValue: 0xD1)

    func simulator(floor: UInt64) -> GPFSimulator {
        var floors = AntiReplayFloors()
        floors[.networkOperator] = OriginatorCounter(floor)
        let device = Device(id: deviceID, type: .gpf, supplier: "s", commissionedAt: nil,
                            cells: TrustAnchorCells([.networkOperatorDS: "gno-ds", .networkOperatorKA: "gno-ka"]), floors: floors)
        let subjects = Dictionary(uniqueKeysWithValues: [network, networkKA, acb, acbKA, supplier].map { ($0.certificateId, $0) })
        return GPFSimulator(devices: DeviceTable([device]), certificateSubjects: subjects)
    }

    func command(from originator: EUI64, counter: UInt64, replacing: [(CertificateSubject, TrustAnchorCell)], newFloor: UInt64 = 0)
        -> UpdateSecurityCredentialsCommand {
        UpdateSecurityCredentialsCommand(
            originator: originator, recipient: deviceID, originatorCounter: OriginatorCounter(counter),
            mode: .networkOperatorByNetworkOperator, newFloor: OriginatorCounter(newFloor),
            replacements: replacing.map { .init(certificate: $0.0, targetCell: $0.1) })
    }

    @Test func countersMustBeStrictlyGreaterThanTheFloor() {
        var gpf = simulator(floor: 100)
        let toACB = [(acb, TrustAnchorCell.networkOperatorDS)]
        #expect(gpf.deliver(command(from: network.entityId, counter: 99, replacing: toACB)) == .refused(.antiReplay))
        #expect(gpf.deliver(command(from: network.entityId, counter: 100, replacing: toACB)) == .refused(.antiReplay))
        #expect(gpf.devices[deviceID]?.cells[.networkOperatorDS] == "gno-ds")
        guard case .executed(let response) = gpf.deliver(command(from: network.entityId, counter: 101, replacing: toACB, newFloor: 101)) else {
            Issue.record("expected execution"); return
        }
        #expect(response.results.map(\.status) == [.success])
        #expect(response.results.first?.existing == network)
        #expect(response.floorChanges[.networkOperator]?.value == 101)
        #expect(gpf.devices[deviceID]?.cells[.networkOperatorDS] == "acb-ds")
        #expect(gpf.devices[deviceID]?.floors[.networkOperator].value == 101)
    }

    @Test func theAuthorisingCellMustHoldTheSignersCertificate() {
        var gpf = simulator(floor: 0)
        #expect(gpf.deliver(command(from: acb.entityId, counter: 5, replacing: [(acb, .networkOperatorDS)])) == .refused(.authorisation))
        #expect(gpf.devices[deviceID]?.floors[.networkOperator].value == 0)
    }

    @Test func wrongCertificatesGetAStatusPerReplacement() {
        var gpf = simulator(floor: 0)
        let response = gpf.deliver(command(from: network.entityId, counter: 1, replacing: [
            (supplier, .networkOperatorDS), (acbKA, .networkOperatorKA), (acb, .networkOperatorKA),
        ]))
        guard case .executed(let body) = response else { Issue.record("expected execution"); return }
        #expect(body.results.map(\.status) == [.badCertificate, .success, .badCertificate])
        #expect(gpf.devices[deviceID]?.cells[.networkOperatorDS] == "gno-ds")
        #expect(gpf.devices[deviceID]?.cells[.networkOperatorKA] == "acb-ka")
    }

    @Test func anUnknownOrSilentDeviceDoesNotAnswer() {
        var gpf = simulator(floor: 0)
        gpf.unresponsive = [deviceID]
        #expect(gpf.deliver(command(from: network.entityId, counter: 1, replacing: [(acb, .networkOperatorDS)])) == nil)
        var other = command(from: network.entityId, counter: 1, replacing: [])
        other.recipient = EUI64(rawValue: 0xEE)
        #expect(simulator(floor: 0).inventoryEntry(for: other.recipient) == nil)
    }
}
