import AnchorCore
import DCCWire
import GBCS
import GPFSimulator
import SMKI
import Testing

/// The engine cannot cheat: it records a counter only from an answer that verifies with the
/// device's own key and answers the command it sent. Behind the transport it may find the
/// simulated device, a script of recorded bytes, or a liar.
@Suite("The engine behind a transport")
struct EngineBehindATransportTests {
    static let ledger = Ledger(
        organisations: [
            Organisation(id: "gno", name: "GNO", role: .networkOperator, entityId: EUI64(rawValue: 0x31), dccUser: true, subscribed: true,
                         lastCounter: OriginatorCounter(6)),
            Organisation(id: "acb", name: "ACB", role: .acb, entityId: EUI64(rawValue: 0x04), dccUser: true, subscribed: true),
        ],
        certificates: [
            Certificate(id: "gno-ds", owner: "gno", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "gno-ka", owner: "gno", keyUsage: .keyAgreement, inRepository: true),
            Certificate(id: "acb-ds", owner: "acb", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "acb-ka", owner: "acb", keyUsage: .keyAgreement, inRepository: true),
        ])
    static let credentials = DemoCredentialsCache.credentials(for: ledger)
    static let deviceID = EUI64(rawValue: 0xD1)
    static let device = Device(
        id: deviceID, type: .gpf, supplier: "sup", commissionedAt: nil,
        cells: TrustAnchorCells([.networkOperatorDS: "gno-ds", .networkOperatorKA: "gno-ka", .acbDS: "acb-ds", .acbKA: "acb-ka"]),
        floors: AntiReplayFloors())
    static let now = Timestamp(iso8601: "2024-03-01T12:00:00Z")!

    /// The hand-back: GNO puts the ACB's certificates in the NO cells with counter `counter`.
    static func handBack(counter: UInt64) -> ServiceRequest {
        .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "gno", device: deviceID, replacementCertificates: ["acb-ds", "acb-ka"], counter: OriginatorCounter(counter)))
    }

    /// A transport that plays back answers, whatever it is sent, and keeps what it was sent.
    struct ScriptedTransport: DeviceTransport {
        var answers: [[UInt8]?]
        var sent: [[UInt8]] = []
        mutating func send(_ command: [UInt8]) -> [UInt8]? {
            sent.append(command)
            return answers.isEmpty ? nil : answers.removeFirst()
        }
    }

    /// A transport that lets the real device answer, then changes the answer.
    struct LyingTransport: DeviceTransport {
        var device = GPFSimulator(devices: DeviceTable([EngineBehindATransportTests.device]),
                                  directory: EngineBehindATransportTests.credentials.directory,
                                  keys: EngineBehindATransportTests.credentials.deviceKeys)
        let lie: ([UInt8]) -> [UInt8]?
        mutating func send(_ command: [UInt8]) -> [UInt8]? {
            device.receive(command).flatMap(lie)
        }
    }

    /// Runs the request through the engine against `transport`; returns the change and what the transport did.
    static func process<Transport: DeviceTransport>(_ request: ServiceRequest, through transport: Transport) throws -> (LedgerChange, Transport) {
        let devices = DeviceTable([device])
        var gateway = WireGateway(transport: transport, inventory: { devices[$0]?.inventoryEntry }, credentials: credentials)
        let change = try RequestEngine.process(request, ledger: ledger, gateway: &gateway, now: now)
        return (change, gateway.transport)
    }

    /// The genuine answer of the simulated device to the hand-back with `counter`: the command's
    /// bytes, as the engine sends them, given to the device.
    static func genuineAnswer(counter: UInt64) throws -> [UInt8] {
        let (_, scripted) = try process(handBack(counter: counter), through: ScriptedTransport(answers: []))
        let command = try #require(scripted.sent.first)
        var simulated = GPFSimulator(devices: DeviceTable([device]), directory: credentials.directory, keys: credentials.deviceKeys)
        let answer = simulated.receive(command)
        return try #require(answer)
    }

    @Test func theRealDeviceBehindTheTransportGetsTheCounterRecorded() throws {
        let (change, _) = try Self.process(Self.handBack(counter: 7), through: LyingTransport { $0 })
        #expect(change.request.outcome == .succeeded)
        #expect(change.recorded?.counter == OriginatorCounter(7))
    }

    @Test func aScriptThatReplaysTheDevicesOwnAnswerIsBelievedBecauseItIsThatAnswer() throws {
        let answer = try Self.genuineAnswer(counter: 7)
        let (change, transport) = try Self.process(Self.handBack(counter: 7), through: ScriptedTransport(answers: [answer]))
        #expect(transport.sent.count == 1)
        #expect(change.request.outcome == .succeeded)
        #expect(change.recorded?.counter == OriginatorCounter(7))
    }

    @Test func anAnswerToAnotherCommandRecordsNothing() throws {
        let earlier = try Self.genuineAnswer(counter: 7)
        let (change, _) = try Self.process(Self.handBack(counter: 8), through: ScriptedTransport(answers: [earlier]))
        #expect(change.request.reason == .unverifiedResponse)
        #expect(change.recorded == nil)
    }

    @Test func anAnswerSignedByAnyoneButTheDeviceRecordsNothing() throws {
        let impostor = Self.credentials.deviceKeys.signingKey(for: EUI64(rawValue: 0xBAD))
        let (change, _) = try Self.process(Self.handBack(counter: 7), through: LyingTransport { answer in
            guard var block = try? GBCSMessage.decode(answer).block,
                  let signature = try? impostor.signature(for: block.signedBytes) else { return nil }
            block.signature = .ecdsa(Array(signature.rawRepresentation))
            return block.encoded
        })
        #expect(change.request.reason == .unverifiedResponse)
        #expect(change.recorded == nil)
    }

    @Test func aChangedByteOrAMissingSignatureRecordsNothing() throws {
        for lie in [{ (answer: [UInt8]) -> [UInt8]? in
            var changed = answer
            changed[changed.count - 70] ^= 0x01
            return changed
        }, { (answer: [UInt8]) -> [UInt8]? in
            guard var block = try? GBCSMessage.decode(answer).block else { return nil }
            block.signature = .unsigned
            return block.encoded
        }] {
            let (change, _) = try Self.process(Self.handBack(counter: 7), through: LyingTransport(lie: lie))
            #expect(change.request.outcome != .succeeded)
            #expect(change.recorded == nil)
        }
    }

    @Test func silenceRecordsNothing() throws {
        let (change, transport) = try Self.process(Self.handBack(counter: 7), through: ScriptedTransport(answers: [nil]))
        #expect(transport.sent.count == 1)
        #expect(change.request.reason == .noResponse)
        #expect(change.recorded == nil)
    }

    @Test func garbageRecordsNothing() throws {
        let (change, _) = try Self.process(Self.handBack(counter: 7), through: ScriptedTransport(answers: [[0xDF, 0x09, 0x02]]))
        #expect(change.request.reason == .unverifiedResponse)
        #expect(change.recorded == nil)
    }
}
