import AnchorCore
import AnchorStore
import DUIS
import DUISServer
import Foundation
import OperatorClient
import Testing

/// A bulk SRV6.15.1 through the operator API racing other writers of the same devices and
/// counters, in one `serve`: every device is handed back once, and each organisation's counters
/// are used once each, rising in the order they are recorded.
@Suite(.serialized) struct OperatorBulkRaceTests {
    /// Two operators of one GNO hand back the same devices at once, a few at a time, in opposite
    /// orders, each preparing again what the other's groups made stale: every device is sent
    /// once, and the GNO's counters are recorded rising, each once.
    @Test func twoOperatorsOfOneGNORacingSendEachDeviceOnce() async throws {
        let now = Date()
        let second = OperatorGrants.Grant(subject: "CN=national-grid-night-shift,O=Operators", organisations: ["national-grid"])
        try await OperatorHarness.with(extraGrants: [second]) { harness in
            let store = harness.store
            let credential = try harness.authority.clientCredential(
                commonName: "national-grid-night-shift", organisationName: "Operators", validFrom: now - 3600, validUntil: now + 86_400)
            let day = try harness.connection(as: "national-grid")
            let night = try harness.connection(with: credential)
            let held = try store.gpfs(heldBy: "national-grid").map(\.id)
            try #require(held.count >= 20)
            let before = try store.estate().ledger.requests.count
            async let dayRun = Self.handBackInGroups(held, over: day, in: store)
            async let nightRun = Self.handBackInGroups(held.reversed(), over: night, in: store)
            let records = try await dayRun + nightRun
            let ledger = try store.estate().ledger
            let requests = Array(ledger.requests.dropFirst(before))
            #expect(requests.count == held.count && Set(requests.map(\.device)) == Set(held), "\(requests.count) requests for \(held.count) devices")
            #expect(requests.allSatisfy { $0.outcome == .succeeded })
            #expect(Set(records.map(\.requestId)) == Set(requests.map(\.requestId)))
            let counters = requests.map(\.originatorCounter)
            #expect(zip(counters, counters.dropFirst()).allSatisfy { $0 < $1 }, "\(counters)")
            #expect(ledger.organisation("national-grid")?.lastCounter == counters.last)
            #expect(requests.allSatisfy { ledger.recordedCounters[$0.device] == $0.originatorCounter })
        }
    }

    /// `devices` handed back three a group, each group's stale commands prepared again until
    /// none is left; a device another writer handed back (or over) first is left alone.
    private static func handBackInGroups(_ devices: [EUI64], over connection: OperatorConnection, in store: DemoStore) async throws -> [RequestRecord] {
        var records: [RequestRecord] = []
        for start in stride(from: 0, to: devices.count, by: 3) {
            var pending = Array(devices[start..<min(start + 3, devices.count)])
            for _ in 0..<50 where !pending.isEmpty {
                let prepared: OperatorBulk.Prepared = try await OperatorBulkTests.answer(
                    OperatorAPIPath.bulkPrepare, OperatorBulkTests.group(pending), over: connection)
                #expect(prepared.refused.allSatisfy(Self.handedBackMeanwhile), "\(prepared.refused)")
                let commands = try prepared.preCommands.map { try OperatorBulkCheckTests.altered($0, signedAs: "national-grid", in: store) { _, _ in } }
                guard !commands.isEmpty else {
                    pending = []
                    continue
                }
                let sent: OperatorBulk.Sent = try await OperatorBulkTests.answer(
                    OperatorAPIPath.bulkSend, OperatorBulk.SendRequest(organisation: "national-grid", executeAt: nil, commands: commands), over: connection)
                records += sent.requests
                #expect(sent.refused.allSatisfy { $0.prepareAgain == true || Self.handedBackMeanwhile($0) }, "\(sent.refused)")
                pending = sent.refused.filter { $0.prepareAgain == true }.map(\.device)
            }
            #expect(pending.isEmpty)
        }
        return records
    }

    /// A bulk run races National Grid's single SRV6.15.1 (CommandVariant 4 then 5, from the other
    /// end of the list) and Heron Energy's SRV6.21 to Cadent on its devices as they come back.
    @Test func aBulkRacingSingleRequestsAndHandoversSendsEachDeviceOnce() async throws {
        try await OperatorHarness.with { harness in
            let store = harness.store
            let held = try store.gpfs(heldBy: "national-grid")
            let heronDevices = held.filter { $0.supplier == "heron-energy" }.map(\.id)
            try #require(held.count >= 20 && !heronDevices.isEmpty)
            let before = try store.estate().ledger.requests.count
            let nationalGrid = try harness.connection(as: "national-grid")
            let single = try harness.connection(as: "national-grid")
            let heron = try harness.connection(as: "heron-energy")
            async let bulk = Self.handBackInGroups(held.map(\.id), over: nationalGrid, in: store)
            async let singles: Void = {
                for device in held.map(\.id).reversed().prefix(8) { try await Self.requestHandBack(device, harness: harness, over: single) }
            }()
            async let handovers: Void = {
                for _ in 0..<6 {
                    for device in heronDevices { try await Self.requestHandover(device, harness: harness, over: heron) }
                }
            }()
            _ = try await (bulk, singles, handovers)

            let ledger = try store.estate().ledger
            let requests = Array(ledger.requests.dropFirst(before))
            let handBacks = requests.filter { $0.service == .updateSecurityCredentials }
            #expect(Set(handBacks.filter { $0.outcome == .succeeded }.map(\.device)) == Set(held.map(\.id)))
            #expect(handBacks.filter { $0.outcome == .succeeded }.count == held.count, "a device was handed back twice")
            let counters = requests.filter { $0.originator == "national-grid" }.map(\.originatorCounter)
            #expect(zip(counters, counters.dropFirst()).allSatisfy { $0 < $1 }, "\(counters)")
            #expect(ledger.organisation("national-grid")?.lastCounter == counters.last)
            // Each handover goes above the counter the device recorded from its hand-back (the recorded-counter rule).
            let handedBackAt = Dictionary(uniqueKeysWithValues: handBacks.filter { $0.outcome == .succeeded }.map { ($0.device, $0.originatorCounter) })
            let handedOver = requests.filter { $0.service == .requestHandover && $0.outcome == .succeeded }
            #expect(!handedOver.isEmpty)
            for record in handedOver {
                #expect(record.originatorCounter > (handedBackAt[record.device] ?? OriginatorCounter(UInt64.max)), "\(record.device)")
                #expect(ledger.recordedCounters[record.device] == handedBackAt[record.device])
            }
        }
    }

    /// Whether a refusal says the device is no longer National Grid's: another writer handed it back, or over.
    private static func handedBackMeanwhile(_ refusal: OperatorBulk.Refusal) -> Bool {
        refusal.prepareAgain == nil && refusal.error.contains("certificate, not national-grid's")
    }

    /// National Grid's single SRV6.15.1 to the ACB through the API, as the CLI makes it; a
    /// refusal (the device handed back meanwhile, its counter used by the bulk) is fine.
    private static func requestHandBack(_ device: EUI64, harness: OperatorHarness, over connection: OperatorConnection) async throws {
        let store = harness.store
        let drafted = try await offThePool {
            try harness.draft(DUISRequestDraft(service: .updateSecurityCredentials, organisation: "national-grid", device: device, certificate: "acb"),
                              over: connection)
        }
        guard drafted.status == 200 else { return }
        let draft = try JSONDecoder().decode(OperatorReplies.Draft.self, from: Data(drafted.body))
        let signed = try store.signed(Array(draft.xml.utf8), as: "national-grid")
        let reply = try await offThePool { try harness.send(signed, to: .transform, over: connection) }
        guard reply.status == 200, let transformed = try? JSONDecoder().decode(OperatorReplies.DUIS.self, from: Data(reply.body)),
              transformed.code == "I0" else { return }
        let answer = try Answer(Array(transformed.duis.utf8), store: store)
        let preCommand = try #require(answer.preCommand)
        let requestID = try #require(DUISRequestID(answer.requestID))
        let cv5 = try store.signed(
            DUISRequestDocument.signedPreCommand(requestID: requestID, gbcs: try store.signPreCommand(preCommand, as: "national-grid")), as: "national-grid")
        _ = try await offThePool { try harness.send(cv5, to: .sendCommand, over: connection) }
    }

    /// Heron Energy's SRV6.21 for Cadent's certificates; refused until the device is back with the ACB.
    private static func requestHandover(_ device: EUI64, harness: OperatorHarness, over connection: OperatorConnection) async throws {
        let drafted = try await offThePool {
            try harness.draft(DUISRequestDraft(service: .requestHandover, organisation: "heron-energy", device: device, networkOperator: "cadent"),
                              over: connection)
        }
        guard drafted.status == 200 else { return }
        let draft = try JSONDecoder().decode(OperatorReplies.Draft.self, from: Data(drafted.body))
        let signed = try harness.store.signed(Array(draft.xml.utf8), as: "heron-energy")
        _ = try await offThePool { try harness.send(signed, to: .sendCommand, over: connection) }
    }
}
