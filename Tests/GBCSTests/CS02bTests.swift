import AnchorCore
import DCCWire
import Crypto
import GBCS
import GPFSimulator
import SMKI
import Testing

/// AnchorDesk's own CS02b exchanges, decoded with the same decoder as DCC's reference messages
/// (ConformanceTests): the MAC verifies, the response is signed by the device, and the fields
/// carry what was asked.
@Suite("CS02b commands and responses on the wire")
struct CS02bTests {
    static let ledger = Ledger(
        organisations: [
            Organisation(id: "gno", name: "GNO", role: .networkOperator, entityId: EUI64(rawValue: 0x90B3_D51F_3000_0010), dccUser: true, subscribed: true),
            Organisation(id: "acb", name: "ACB", role: .acb, entityId: EUI64(rawValue: 0x90B3_D51F_3000_0004), dccUser: true, subscribed: true),
        ],
        certificates: [
            Certificate(id: "gno-ds", owner: "gno", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "gno-ka", owner: "gno", keyUsage: .keyAgreement, inRepository: true),
            Certificate(id: "acb-ds", owner: "acb", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "acb-ka", owner: "acb", keyUsage: .keyAgreement, inRepository: true),
        ])
    static let credentials = DemoCredentialsCache.credentials(for: ledger)
    let device = EUI64(rawValue: 0x00DB_1201_73F7_8B92)

    func exchange(counter: UInt64 = 1_647_302_400_000_001, floor: UInt64 = 0) throws -> (command: GBCSMessage, response: GBCSMessage) {
        var floors = AntiReplayFloors()
        floors[.networkOperator] = OriginatorCounter(floor)
        let gpf = Device(id: device, type: .gpf, supplier: "s", commissionedAt: nil,
                         cells: TrustAnchorCells([.networkOperatorDS: "gno-ds", .networkOperatorKA: "gno-ka", .acbDS: "acb-ds", .acbKA: "acb-ka"]), floors: floors)
        var gateway = WireGateway(simulator: GPFSimulator(devices: DeviceTable([gpf]), directory: CS02bTests.credentials.directory, keys: CS02bTests.credentials.deviceKeys),
                                  credentials: CS02bTests.credentials)
        let subject = { (id: String) in CS02bTests.credentials.directory[id]!.subject(id: id)! }
        _ = gateway.deliver(UpdateSecurityCredentialsCommand(
            originator: EUI64(rawValue: 0x90B3_D51F_3000_0010), recipient: device, originatorCounter: OriginatorCounter(counter),
            mode: .networkOperatorByNetworkOperator, newFloor: OriginatorCounter(counter),
            replacements: [.init(certificate: subject("acb-ds"), targetCell: .networkOperatorDS),
                           .init(certificate: subject("acb-ka"), targetCell: .networkOperatorKA)]))
        let sent = try #require(gateway.exchanges.first)
        return (try GBCSMessage.decode(sent.command), try GBCSMessage.decode(try #require(sent.response)))
    }

    @Test func theCommandCarriesEveryField() throws {
        let command = try exchange().command
        let credentials = CS02bTests.credentials
        let secret = try #require(try credentials.acbKeyAgreementKey?.sharedSecretFromKeyAgreement(
            with: credentials.deviceKeys.keyAgreementKey(for: device).publicKey))
        #expect(CommandMAC.verifies(command, sharedSecret: secret))
        #expect(command.block.cra == .command)
        #expect(command.block.originatorCounter.value == 1_647_302_400_000_001)
        #expect(command.block.originator == EUI64("90-B3-D5-1F-30-00-00-10"))
        #expect(command.block.recipient == device)
        #expect(command.block.messageCode == 0x0103)
        #expect(command.block.signature.isSigned)
        guard case .updateSecurityCredentialsCommand(let payload) = command.payload else { Issue.record("not a CS02b command"); return }
        #expect(payload.mode == 3)
        #expect(payload.authorisingCell?.cell == .networkOperatorDS)
        #expect(payload.authorisingSequenceNumber == 1_647_302_400_000_001)
        #expect(payload.newFloor == 1_647_302_400_000_001)
        #expect(payload.replacements.map(\.target.cell) == [.networkOperatorDS, .networkOperatorKA])
        #expect(payload.replacements.map(\.certificate) == [CS02bTests.credentials.directory["acb-ds"]!.der, CS02bTests.credentials.directory["acb-ka"]!.der])
        #expect(payload.encoded == command.block.content)
    }

    @Test func theResponseReportsStatusesKeyIdsAndTheNewFloor() throws {
        let response = try exchange().response
        #expect(response.mac == nil)
        #expect(response.block.cra == .response)
        guard case .ecdsa(let signature) = response.block.signature else { Issue.record("the response is not signed"); return }
        let deviceKey = CS02bTests.credentials.deviceKeys.signingKey(for: device).publicKey
        #expect(deviceKey.isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: signature), for: response.signedBytes))
        #expect(response.block.originatorCounter.value == 1_647_302_400_000_001)
        #expect(response.block.originator == device)
        #expect(response.block.recipient == EUI64("90-B3-D5-1F-30-00-00-10"))
        guard case .updateSecurityCredentialsResponse(let payload?) = response.payload else { Issue.record("not a CS02b response"); return }
        #expect(payload.authorisingSequenceNumber == 1_647_302_400_000_001)
        #expect(payload.floorChanges.map(\.role) == [3] && payload.floorChanges.map(\.floor) == [1_647_302_400_000_001])
        #expect(payload.outcomes.map(\.status) == [0, 0])
        let directory = CS02bTests.credentials.directory
        #expect(payload.outcomes.map(\.existingKeyIdentifier) == [directory["gno-ds"]!.keyIdentifier, directory["gno-ka"]!.keyIdentifier])
        #expect(payload.outcomes.map(\.replacingKeyIdentifier) == [directory["acb-ds"]!.keyIdentifier, directory["acb-ka"]!.keyIdentifier])
        #expect(payload.outcomes.allSatisfy { $0.replacingSubject == EUI64("90-B3-D5-1F-30-00-00-04")!.octets })
        #expect(payload.outcomes.allSatisfy { $0.existingKeyIdentifier.count == 8 })
    }

    @Test func aRefusalIsAnAlertWithItsReason() throws {
        let response = try exchange(counter: 5, floor: 10).response
        #expect(response.block.cra == .alert)
        #expect(response.payload == .commandRefused(CommandRefusalAlert(reason: .antiReplay)))
    }

    @Test func countersAbove2To53SurviveTheWire() throws {
        let counter = UInt64.max - 1
        let command = try exchange(counter: counter).command
        #expect(command.block.originatorCounter.value == counter)
        guard case .updateSecurityCredentialsCommand(let payload) = command.payload else { Issue.record("not a CS02b command"); return }
        #expect(payload.authorisingSequenceNumber == counter)
    }
}
