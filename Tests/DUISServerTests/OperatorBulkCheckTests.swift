import AnchorCore
import AnchorStore
import DUIS
import DUISServer
import Foundation
import GBCS
import OperatorClient
import Testing

/// What the DSP checks in a group of signed commands a bulk SRV6.15.1 sends back: a command is
/// the one it prepares, whatever a buggy or hostile operator's machine signs instead.
@Suite(.serialized) struct OperatorBulkCheckTests {
    /// A command signed with the GNO's own key but altered from the DSP's pre-command so that it
    /// would burn counters for good: a floor of 2^64-1 would leave the ACB no counter for the
    /// device's SRV6.21, a counter 2^53 ahead would skip that many of the GNO's. Refused, as the
    /// CLI refuses a typed jump without `--allow-counter-jump`; nothing is recorded.
    @Test func aCommandThatWouldBurnCountersIsRefused() async throws {
        try await OperatorHarness.with { harness in
            let store = harness.store
            let nationalGrid = try harness.connection(as: "national-grid")
            let devices = Array(try store.gpfs(heldBy: "national-grid").map(\.id).prefix(2))
            try #require(devices.count == 2)
            let prepared: OperatorBulk.Prepared = try await OperatorBulkTests.answer(
                OperatorAPIPath.bulkPrepare, OperatorBulkTests.group(devices), over: nationalGrid)
            try #require(prepared.preCommands.count == 2)
            let before = try store.estate().ledger
            let last = try #require(before.organisation("national-grid")).lastCounter.value
            let fenced = try Self.altered(prepared.preCommands[0], signedAs: "national-grid", in: store) { _, payload in
                payload.newFloor = UInt64.max
            }
            let skipping = try Self.altered(prepared.preCommands[1], signedAs: "national-grid", in: store) { block, payload in
                let counter = last + (1 << 53)
                block.originatorCounter = OriginatorCounter(counter)
                payload.authorisingSequenceNumber = counter
                payload.newFloor = counter
            }
            let sent: OperatorBulk.Sent = try await OperatorBulkTests.answer(
                OperatorAPIPath.bulkSend, OperatorBulk.SendRequest(organisation: "national-grid", executeAt: nil, commands: [fenced, skipping]),
                over: nationalGrid)
            #expect(sent.requests.isEmpty, "\(sent.requests.map { ($0.device, $0.recordedCounter.map(\.value)) })")
            let why = Dictionary(uniqueKeysWithValues: sent.refused.map { ($0.device, $0.error) })
            #expect(why[devices[0]]?.contains("jumps past the command's counter") == true, "\(why)")
            #expect(why[devices[1]]?.contains("jumps past national-grid's next counter") == true, "\(why)")
            let after = try store.estate()
            #expect(after.ledger.requests.count == before.requests.count)
            #expect(after.ledger.organisation("national-grid")?.lastCounter.value == last)
            #expect(devices.allSatisfy { after.ledger.recordedCounters[$0] == before.recordedCounters[$0] })
        }
    }

    /// A command carries exactly the execution the group asks for: one scheduled (or a
    /// cancellation) is not sent in a group asked to execute at once.
    @Test func aCommandCarriesTheExecutionTheGroupAsks() async throws {
        try await OperatorHarness.with { harness in
            let store = harness.store
            let nationalGrid = try harness.connection(as: "national-grid")
            let device = try #require(try store.gpfs(heldBy: "national-grid").first?.id)
            let executeAt = ISO8601DateFormatter().string(from: Date() + 2 * 86_400)
            let prepared: OperatorBulk.Prepared = try await OperatorBulkTests.answer(
                OperatorAPIPath.bulkPrepare,
                OperatorBulk.PrepareRequest(organisation: "national-grid", certificate: "acb", executeAt: executeAt, devices: [device]),
                over: nationalGrid)
            let scheduled = try Self.altered(try #require(prepared.preCommands.first), signedAs: "national-grid", in: store) { _, _ in }
            let before = try store.estate().ledger.requests.count
            let sent: OperatorBulk.Sent = try await OperatorBulkTests.answer(
                OperatorAPIPath.bulkSend, OperatorBulk.SendRequest(organisation: "national-grid", executeAt: nil, commands: [scheduled]),
                over: nationalGrid)
            #expect(sent.requests.isEmpty, "\(sent.requests.map(\.outcome))")
            #expect(sent.refused.first?.error.contains("executionDateTime") == true, "\(sent.refused)")
            let estate = try store.estate()
            #expect(estate.ledger.requests.count == before)
            #expect(estate.ledger.pendingCommand(for: device) == nil)
        }
    }

    /// A command the engine would now refuse (its device handed back meanwhile by another group)
    /// is refused with the engine's reason, not as a forgery.
    @Test func aCommandTheEngineNowRefusesSaysWhy() async throws {
        try await OperatorHarness.with { harness in
            let store = harness.store
            let nationalGrid = try harness.connection(as: "national-grid")
            let devices = Array(try store.gpfs(heldBy: "national-grid").map(\.id).prefix(2))
            try #require(devices.count == 2)
            let both = try await OperatorBulkTests.signed(devices, as: "national-grid", over: nationalGrid, in: store)
            let handedBack = try await OperatorBulkTests.handBack([devices[1]], as: "national-grid", over: nationalGrid, in: store)
            #expect(handedBack.requests.count == 1)
            let sent: OperatorBulk.Sent = try await OperatorBulkTests.answer(OperatorAPIPath.bulkSend, both, over: nationalGrid)
            #expect(sent.requests.isEmpty)
            let why = Dictionary(uniqueKeysWithValues: sent.refused.map { ($0.device, $0) })
            #expect(why[devices[0]]?.prepareAgain == true, "\(why)")
            #expect(why[devices[1]]?.error.contains("holds dcc-acb's certificate, not national-grid's") == true, "\(why)")
            #expect(why[devices[1]]?.prepareAgain == nil)
        }
    }

    /// The largest group of devices the DSP does not hold is refused device by device, and a
    /// body over the bound is refused before it is read whole; nothing is recorded.
    @Test func aLargestGroupOfUnknownDevicesIsRefusedDeviceByDevice() async throws {
        try await OperatorHarness.with { harness in
            let store = harness.store
            let nationalGrid = try harness.connection(as: "national-grid")
            let unknown = (0..<OperatorBulk.maximumGroup).map { EUI64(rawValue: 0xFFFF_0000_0000_0000 + UInt64($0)) }
            let before = try store.estate().ledger.requests.count
            let prepared: OperatorBulk.Prepared = try await OperatorBulkTests.answer(
                OperatorAPIPath.bulkPrepare, OperatorBulkTests.group(unknown), over: nationalGrid)
            #expect(prepared.preCommands.isEmpty && prepared.refused.count == unknown.count)
            #expect(prepared.refused.allSatisfy { $0.error.hasPrefix("no device '") }, "\(prepared.refused.prefix(2))")
            let commands = unknown.map { OperatorBulk.Command(device: $0, gbcs: Data(repeating: 0xDF, count: 300).base64EncodedString()) }
            let sent: OperatorBulk.Sent = try await OperatorBulkTests.answer(
                OperatorAPIPath.bulkSend, OperatorBulk.SendRequest(organisation: "national-grid", executeAt: nil, commands: commands), over: nationalGrid)
            #expect(sent.requests.isEmpty && sent.refused.count == unknown.count)
            let oversized = Array(repeating: UInt8(ascii: " "), count: (24 << 20) + 1)
            let reply = try await offThePool { try nationalGrid.post(OperatorAPIPath.bulkSend, body: oversized, contentType: "application/json") }
            #expect(reply.status == 413)
            #expect(try store.estate().ledger.requests.count == before)
        }
    }

    /// The DSP's pre-command as `alter` changes it, signed with `organisation`'s Digital Signing key.
    static func altered(
        _ preCommand: OperatorBulk.Command, signedAs organisation: String, in store: DemoStore,
        _ alter: (inout GeneralSigningBlock, inout CS02bCommandPayload) -> Void
    ) throws -> OperatorBulk.Command {
        let message = try GBCSMessage.decode(Array(try #require(Data(base64Encoded: preCommand.gbcs))), recordingFields: false)
        guard case .updateSecurityCredentialsCommand(var payload) = message.payload else {
            Issue.record("the DSP's pre-command is not CS02b")
            return preCommand
        }
        var block = message.block
        alter(&block, &payload)
        block.content = payload.encoded
        let signed = try store.signPreCommand(block.encoded, as: organisation)
        return OperatorBulk.Command(device: preCommand.device, gbcs: Data(signed).base64EncodedString())
    }
}
