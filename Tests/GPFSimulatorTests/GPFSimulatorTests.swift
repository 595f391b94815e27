import AnchorCore
import DCCWire
import GBCS
import GPFSimulator
import SMKI
import Testing

@Suite("The simulated GPF behaves like a device")
struct GPFSimulatorTests {
    static let ledger = Ledger(
        organisations: [
            Organisation(id: "gno", name: "GNO", role: .networkOperator, entityId: EUI64(rawValue: 0x31), dccUser: true, subscribed: true),
            Organisation(id: "acb", name: "ACB", role: .acb, entityId: EUI64(rawValue: 0x04), dccUser: true, subscribed: true),
            Organisation(id: "sup", name: "Supplier", role: .supplier, entityId: EUI64(rawValue: 0x21), dccUser: true, subscribed: true),
        ],
        certificates: [
            Certificate(id: "gno-ds", owner: "gno", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "gno-ka", owner: "gno", keyUsage: .keyAgreement, inRepository: true),
            Certificate(id: "acb-ds", owner: "acb", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "acb-ka", owner: "acb", keyUsage: .keyAgreement, inRepository: true),
            Certificate(id: "sup-ds", owner: "sup", keyUsage: .digitalSigning, inRepository: true),
        ])
    static let credentials = DemoCredentialsCache.credentials(for: ledger)

    let network = CertificateSubject(certificateId: "gno-ds", entityId: EUI64(rawValue: 0x31), role: .networkOperator, keyUsage: .digitalSigning)
    let acb = CertificateSubject(certificateId: "acb-ds", entityId: EUI64(rawValue: 0x04), role: .acb, keyUsage: .digitalSigning)
    let acbKA = CertificateSubject(certificateId: "acb-ka", entityId: EUI64(rawValue: 0x04), role: .acb, keyUsage: .keyAgreement)
    let supplier = CertificateSubject(certificateId: "sup-ds", entityId: EUI64(rawValue: 0x21), role: .supplier, keyUsage: .digitalSigning)
    let deviceID = EUI64(rawValue: 0xD1)

    func gateway(floor: UInt64, credentials: EstateCredentials = GPFSimulatorTests.credentials) -> WireGateway<GPFSimulator> {
        var floors = AntiReplayFloors()
        floors[.networkOperator] = OriginatorCounter(floor)
        let device = Device(id: deviceID, type: .gpf, supplier: "s", commissionedAt: nil,
                            cells: TrustAnchorCells([.networkOperatorDS: "gno-ds", .networkOperatorKA: "gno-ka", .acbKA: "acb-ka"]), floors: floors)
        return WireGateway(simulator: GPFSimulator(devices: DeviceTable([device]), directory: credentials.directory, keys: credentials.deviceKeys), credentials: credentials)
    }

    func command(from originator: EUI64, counter: UInt64, replacing: [(CertificateSubject, TrustAnchorCell)], newFloor: UInt64 = 0)
        -> UpdateSecurityCredentialsCommand {
        UpdateSecurityCredentialsCommand(
            originator: originator, recipient: deviceID, originatorCounter: OriginatorCounter(counter),
            mode: .networkOperatorByNetworkOperator, newFloor: OriginatorCounter(newFloor),
            replacements: replacing.map { .init(certificate: $0.0, targetCell: $0.1) })
    }

    @Test func countersMustBeStrictlyGreaterThanTheFloor() {
        var gpf = gateway(floor: 100)
        let toACB = [(acb, TrustAnchorCell.networkOperatorDS)]
        #expect(gpf.deliver(command(from: network.entityId, counter: 99, replacing: toACB)) == .refused(.antiReplay))
        #expect(gpf.deliver(command(from: network.entityId, counter: 100, replacing: toACB)) == .refused(.antiReplay))
        #expect(gpf.simulator.devices[deviceID]?.cells[.networkOperatorDS] == "gno-ds")
        guard case .executed(let response) = gpf.deliver(command(from: network.entityId, counter: 101, replacing: toACB, newFloor: 101)) else {
            Issue.record("expected execution"); return
        }
        #expect(response.results.map(\.status) == [.success])
        #expect(response.results.first?.existing == network)
        #expect(response.results.first?.replacing == acb)
        #expect(response.floorChanges[.networkOperator]?.value == 101)
        #expect(gpf.simulator.devices[deviceID]?.cells[.networkOperatorDS] == "acb-ds")
        #expect(gpf.simulator.devices[deviceID]?.floors[.networkOperator].value == 101)
    }

    @Test func aCommandSignedByAKeyOtherThanTheAuthorisingCellsIsRefused() {
        var gpf = gateway(floor: 0)
        // The ACB signs with its own key; the NO cell holds the GNO's certificate.
        #expect(gpf.deliver(command(from: acb.entityId, counter: 5, replacing: [(acb, .networkOperatorDS)])) == .refused(.authentication))
        // The GNO's entity ID, but signed with the supplier's key.
        var forged = GPFSimulatorTests.credentials
        forged.signingKeys[network.entityId] = forged.signingKeys[supplier.entityId]
        var device = gateway(floor: 0, credentials: forged)
        #expect(device.deliver(command(from: network.entityId, counter: 5, replacing: [(acb, .networkOperatorDS)])) == .refused(.authentication))
        #expect(device.simulator.devices[deviceID]?.floors[.networkOperator].value == 0)
        #expect(device.simulator.devices[deviceID]?.cells[.networkOperatorDS] == "gno-ds")
    }

    @Test func anUnsignedCommandIsRefused() {
        var unsigned = GPFSimulatorTests.credentials
        unsigned.signingKeys = [:]
        var gpf = gateway(floor: 0, credentials: unsigned)
        #expect(gpf.deliver(command(from: network.entityId, counter: 5, replacing: [(acb, .networkOperatorDS)])) == .refused(.authentication))
    }

    @Test func everyTamperedByteOfTheSignedPartIsRefused() throws {
        let sent = command(from: network.entityId, counter: 7, replacing: [(acb, .networkOperatorDS)])
        var probe = gateway(floor: 0)
        _ = probe.deliver(sent)
        let original = try #require(probe.exchanges.first?.command)
        let block = try GBCSMessage.decode(original).block
        // The signed part starts after DD, the 6 zeros, the BER length, 11 00 00 00 00 and DF.
        let signedStart = original.count - 12 - 65 - (block.signedBytes.count - 1)
        for index in stride(from: signedStart, to: original.count - 12, by: 37) {
            var tampered = original
            tampered[index] ^= 0x01
            var gpf = gateway(floor: 0).simulator
            let answer = gpf.receive(tampered)
            if let answer, let message = try? GBCSMessage.decode(answer) {
                #expect(message.block.cra == .alert, "byte \(index) tampered, yet the device executed the command")
            }
            #expect(gpf.devices[deviceID]?.cells[.networkOperatorDS] == "gno-ds", "byte \(index)")
            #expect(gpf.devices[deviceID]?.floors[.networkOperator].value == 0, "byte \(index)")
        }
    }

    @Test func wrongCertificatesGetAStatusPerReplacement() {
        var gpf = gateway(floor: 0)
        let response = gpf.deliver(command(from: network.entityId, counter: 1, replacing: [
            (supplier, .networkOperatorDS), (acbKA, .networkOperatorKA), (acb, .networkOperatorKA),
        ]))
        guard case .executed(let body) = response else { Issue.record("expected execution"); return }
        #expect(body.results.map(\.status) == [.badCertificate, .success, .badCertificate])
        #expect(gpf.simulator.devices[deviceID]?.cells[.networkOperatorDS] == "gno-ds")
        #expect(gpf.simulator.devices[deviceID]?.cells[.networkOperatorKA] == "acb-ka")
    }

    @Test func anUnknownOrSilentDeviceDoesNotAnswer() {
        var gpf = gateway(floor: 0)
        var silent = gpf.simulator
        silent.unresponsive = [deviceID]
        gpf = WireGateway(simulator: silent, credentials: GPFSimulatorTests.credentials)
        #expect(gpf.deliver(command(from: network.entityId, counter: 1, replacing: [(acb, .networkOperatorDS)])) == nil)
        #expect(gpf.exchanges.count == 1 && gpf.exchanges[0].response == nil)
        #expect(gateway(floor: 0).inventoryEntry(for: EUI64(rawValue: 0xEE)) == nil)
    }
}

@Suite("The wire's integrity: MACs to devices, signatures from them")
struct WireIntegrityTests {
    let base = GPFSimulatorTests()

    func sentAndAnswered() throws -> (gateway: WireGateway<GPFSimulator>, command: UpdateSecurityCredentialsCommand, sent: [UInt8], answer: [UInt8]) {
        var gpf = base.gateway(floor: 0)
        let command = base.command(from: base.network.entityId, counter: 7, replacing: [(base.acb, .networkOperatorDS)])
        _ = gpf.deliver(command)
        let exchange = try #require(gpf.exchanges.first)
        return (base.gateway(floor: 0), command, exchange.command, try #require(exchange.response))
    }

    @Test func aCommandWithAWrongMACIsDiscardedAndChangesNothing() throws {
        var (gpf, _, sent, _) = try sentAndAnswered()
        var simulator = gpf.simulator
        var tampered = sent
        tampered[tampered.count - 1] ^= 0x01
        let reply = simulator.receive(tampered)
        let answer = try GBCSMessage.decode(try #require(reply))
        #expect(answer.payload == .commandRefused(CommandRefusalAlert(reason: .integrity)))
        #expect(simulator.devices[base.deviceID]?.cells[.networkOperatorDS] == "gno-ds")
        #expect(simulator.devices[base.deviceID]?.floors[.networkOperator].value == 0)
        gpf = WireGateway(simulator: simulator, credentials: GPFSimulatorTests.credentials)
        #expect(gpf.simulator.devices[base.deviceID]?.cells[.networkOperatorDS] == "gno-ds")
    }

    @Test func aNetworkOperatorCommandWithoutTheWrapperIsDiscarded() throws {
        let (gpf, _, sent, _) = try sentAndAnswered()
        var simulator = gpf.simulator
        let bare = try GBCSMessage.decode(sent).apdu
        let reply = simulator.receive(bare)
        let answer = try GBCSMessage.decode(try #require(reply))
        #expect(answer.payload == .commandRefused(CommandRefusalAlert(reason: .integrity)))
        #expect(simulator.devices[base.deviceID]?.floors[.networkOperator].value == 0)
    }

    @Test func theDeviceSignsItsAnswerAndTheDCCTrustsNothingElse() throws {
        let (_, command, _, answer) = try sentAndAnswered()
        let credentials = GPFSimulatorTests.credentials
        let deviceKey = credentials.deviceKeys.signingKey(for: base.deviceID).publicKey
        let directory = credentials.directory
        guard case .executed = CommandWire.interpret(answer, answering: command, deviceKey: deviceKey, directory: directory) else {
            Issue.record("the genuine answer was not accepted"); return
        }
        var block = try GBCSMessage.decode(answer).block
        block.signature = .unsigned
        #expect(CommandWire.interpret(block.encoded, answering: command, deviceKey: deviceKey, directory: directory)
            == .unverified("it is not signed"))
        let impostor = credentials.deviceKeys.signingKey(for: EUI64(rawValue: 0xBAD))
        block.signature = .ecdsa(Array(try impostor.signature(for: block.signedBytes).rawRepresentation))
        #expect(CommandWire.interpret(block.encoded, answering: command, deviceKey: deviceKey, directory: directory)
            == .unverified("its signature does not verify with the device's key"))
        var flipped = answer
        flipped[flipped.count - 70] ^= 0x01
        if case .executed = CommandWire.interpret(flipped, answering: command, deviceKey: deviceKey, directory: directory) {
            Issue.record("a changed payload byte was believed")
        }
    }
}
