import AnchorCore
import AnchorStore
import DUIS
import DUISServer
import Foundation
import GBCS
import OperatorClient
import Testing

/// Bulk SRV6.15.1 through the operator API: planned and prepared by the DSP, each command signed
/// on the operator's machine with the GNO's own key, checked by the DSP and sent a group at a time.
@Suite(.serialized) struct OperatorBulkTests {
    @Test func aGroupSignedOnTheOperatorsMachineIsSentAndMadeDurableTogether() async throws {
        try await OperatorHarness.with { harness in
            let store = harness.store
            let nationalGrid = try harness.connection(as: "national-grid")
            let held = try store.gpfs(heldBy: "national-grid").map(\.id)
            let plan: OperatorBulk.Plan = try await Self.answer(OperatorAPIPath.bulkPlan, Self.plan("national-grid"), over: nationalGrid)
            #expect(plan.pending.sorted() == held.sorted() && plan.skipped == 0 && plan.warning == nil)
            #expect(plan.entityId == (try store.organisation("national-grid")).entityId)

            let sent = try await Self.handBack(plan.pending, as: "national-grid", over: nationalGrid, in: store)
            #expect(sent.refused.isEmpty)
            #expect(sent.requests.map(\.device) == plan.pending)
            #expect(sent.requests.allSatisfy { $0.outcome == .succeeded && $0.operatorSubject?.hasPrefix("CN=national-grid,") == true })
            let counters = sent.requests.map(\.originatorCounter)
            #expect(zip(counters, counters.dropFirst()).allSatisfy { $0 < $1 })
            let estate = try store.estate()
            for record in sent.requests {
                #expect(estate.devices[record.device]?.cells[.networkOperatorDS] == "acb-ds")
                #expect(estate.ledger.recordedCounters[record.device] == record.originatorCounter)
                #expect(estate.ledger.lastRequest(for: record.device)?.operatorSubject == record.operatorSubject)
            }
            #expect(harness.lines.all.contains { $0.contains("operator 'CN=national-grid") && $0.contains("\(held.count) decided (0 rejected)") })

            // Planned again, the run has nothing left to send: no device's cell holds National Grid's now.
            let again: OperatorBulk.Plan = try await Self.answer(OperatorAPIPath.bulkPlan, Self.plan("national-grid"), over: nationalGrid)
            #expect(again.pending.isEmpty)
        }
    }

    @Test func eachCommandIsCheckedBeforeAnyDeviceSeesIt() async throws {
        try await OperatorHarness.with { harness in
            let store = harness.store
            let nationalGrid = try harness.connection(as: "national-grid")
            let devices = Array(try store.gpfs(heldBy: "national-grid").map(\.id).prefix(4))
            try #require(devices.count == 4)
            let prepared: OperatorBulk.Prepared = try await Self.answer(OperatorAPIPath.bulkPrepare, Self.group(devices), over: nationalGrid)
            let preCommands = try prepared.preCommands.map { try #require(Data(base64Encoded: $0.gbcs)).map { $0 } }
            let signedByCadent = try store.signPreCommand(preCommands[0], as: "cadent")
            let good = try store.signPreCommand(preCommands[1], as: "national-grid")
            let anotherDevices = try store.signPreCommand(preCommands[3], as: "national-grid")
            let commands = [
                OperatorBulk.Command(device: devices[0], gbcs: Data(signedByCadent).base64EncodedString()),
                OperatorBulk.Command(device: devices[1], gbcs: Data(good).base64EncodedString()),
                OperatorBulk.Command(device: devices[2], gbcs: Data(anotherDevices).base64EncodedString()),
                OperatorBulk.Command(device: devices[3], gbcs: "not base64 at all"),
            ]
            let before = try store.estate().ledger.requests.count
            let sent: OperatorBulk.Sent = try await Self.answer(
                OperatorAPIPath.bulkSend, OperatorBulk.SendRequest(organisation: "national-grid", executeAt: nil, commands: commands), over: nationalGrid)
            #expect(sent.requests.map(\.device) == [devices[1]])
            #expect(sent.requests.first?.outcome == .succeeded)
            let why = Dictionary(uniqueKeysWithValues: sent.refused.map { ($0.device, $0.error) })
            #expect(why[devices[0]]?.contains("does not verify with the certificate in") == true, "\(why)")
            #expect(why[devices[2]]?.contains("is not a command from national-grid to \(devices[2])") == true, "\(why)")
            #expect(why[devices[3]] == "its command is not base64", "\(why)")
            #expect(sent.refused.allSatisfy { $0.prepareAgain == nil }, "a command prepared again would be refused again")
            let estate = try store.estate()
            #expect(estate.ledger.requests.count == before + 1)
            for device in [devices[0], devices[2], devices[3]] {
                #expect(estate.devices[device]?.cells[.networkOperatorDS] == "national-grid-ds")
            }
        }
    }

    /// Nothing is kept between the calls: a group whose counters were used meanwhile (or sent
    /// twice) is refused before the devices, and a group prepared again goes through.
    @Test func aGroupWhoseCountersWereUsedMeanwhileIsRefusedWhole() async throws {
        try await OperatorHarness.with { harness in
            let store = harness.store
            let nationalGrid = try harness.connection(as: "national-grid")
            let devices = Array(try store.gpfs(heldBy: "national-grid").map(\.id).prefix(4))
            try #require(devices.count == 4)
            let first = try await Self.signed(Array(devices.prefix(2)), as: "national-grid", over: nationalGrid, in: store)
            let second = try await Self.signed(Array(devices.suffix(2)), as: "national-grid", over: nationalGrid, in: store)
            let sentSecond: OperatorBulk.Sent = try await Self.answer(OperatorAPIPath.bulkSend, second, over: nationalGrid)
            #expect(sentSecond.requests.count == 2 && sentSecond.refused.isEmpty)
            let before = try store.estate().ledger.requests.count
            for stale in [first, second] {
                let sent: OperatorBulk.Sent = try await Self.answer(OperatorAPIPath.bulkSend, stale, over: nationalGrid)
                #expect(sent.requests.isEmpty)
                #expect(sent.refused.count == 2 && sent.refused.allSatisfy {
                    $0.error.hasPrefix("its counter is not above national-grid's last") && $0.prepareAgain == true
                }, "\(sent.refused)")
            }
            #expect(try store.estate().ledger.requests.count == before)
            let again = try await Self.handBack(Array(devices.prefix(2)), as: "national-grid", over: nationalGrid, in: store)
            #expect(again.requests.count == 2 && again.requests.allSatisfy { $0.outcome == .succeeded })
        }
    }

    /// The operator's machine prepares the next group while one is sent: its counters go above
    /// the unsent group's (`after`), never more than two groups past the GNO's last, so both go through.
    @Test func aGroupPreparedAheadGoesAboveTheGroupNotSentYet() async throws {
        try await OperatorHarness.with { harness in
            let store = harness.store
            let nationalGrid = try harness.connection(as: "national-grid")
            let devices = Array(try store.gpfs(heldBy: "national-grid").map(\.id).prefix(6))
            try #require(devices.count == 6)
            let last = try store.organisation("national-grid").lastCounter
            func counters(_ prepared: OperatorBulk.Prepared) throws -> [UInt64] {
                try prepared.preCommands.map { try GBCSMessage.decode(Array(try #require(Data(base64Encoded: $0.gbcs))), recordingFields: false).block.originatorCounter.value }
            }
            var first = Self.group(Array(devices[0..<2]))
            first.after = OriginatorCounter(last.value - 5)
            let unsent = try counters(try await Self.answer(OperatorAPIPath.bulkPrepare, first, over: nationalGrid))
            #expect(unsent == [last.value + 1, last.value + 2], "an after below the last is the last")
            var ahead = Self.group(Array(devices[2..<4]))
            ahead.after = OriginatorCounter(unsent[1])
            #expect(try counters(try await Self.answer(OperatorAPIPath.bulkPrepare, ahead, over: nationalGrid)) == [last.value + 3, last.value + 4])

            var tooFar = Self.group(Array(devices[4..<6]))
            tooFar.after = OriginatorCounter(last.value + OperatorBulk.maximumAhead + 1)
            let tooFarBody = Self.json(tooFar)
            let reply = try await offThePool { try nationalGrid.post(OperatorAPIPath.bulkPrepare, body: tooFarBody, contentType: "application/json") }
            let error = (try? JSONDecoder().decode(OperatorReplies.Failure.self, from: Data(reply.body)))?.error ?? ""
            #expect(reply.status == 400 && error.contains("is more than 20000 past the sender's last counter"), "\(reply.status) \(error)")
            tooFar.after = OriginatorCounter(last.value + OperatorBulk.maximumAhead)
            #expect(try counters(try await Self.answer(OperatorAPIPath.bulkPrepare, tooFar, over: nationalGrid)).first == last.value + OperatorBulk.maximumAhead + 1)

            // Sent in order, the group prepared first and then the one prepared ahead both go through.
            let firstSent: OperatorBulk.Sent = try await Self.answer(
                OperatorAPIPath.bulkSend, try await Self.signed(first, as: "national-grid", over: nationalGrid, in: store), over: nationalGrid)
            let aheadSent: OperatorBulk.Sent = try await Self.answer(
                OperatorAPIPath.bulkSend, try await Self.signed(ahead, as: "national-grid", over: nationalGrid, in: store), over: nationalGrid)
            #expect(firstSent.refused.isEmpty && aheadSent.refused.isEmpty, "\(firstSent.refused) \(aheadSent.refused)")
            #expect((firstSent.requests + aheadSent.requests).map(\.originatorCounter.value) == (1...4).map { last.value + $0 })
            #expect(try store.organisation("national-grid").lastCounter == OriginatorCounter(last.value + 4))
        }
    }

    @Test func callersAndBodiesTheDSPRefuseChangeNothing() async throws {
        try await OperatorHarness.with { harness in
            let store = harness.store
            let before = try store.estate().ledger.requests.count
            let devices = Array(try store.gpfs(heldBy: "national-grid").map(\.id).prefix(2))
            let cadent = try harness.connection(as: "cadent")
            let heron = try harness.connection(as: "heron-energy")
            let nationalGrid = try harness.connection(as: "national-grid")
            let refusals: [(OperatorConnection, String, [UInt8], Int, String)] = [
                (cadent, OperatorAPIPath.bulkPlan, Self.json(Self.plan("national-grid")), 403, "may not act for national-grid"),
                (cadent, OperatorAPIPath.bulkPrepare, Self.json(Self.group(devices)), 403, "may not act for national-grid"),
                (cadent, OperatorAPIPath.bulkSend, Self.json(OperatorBulk.SendRequest(organisation: "national-grid", executeAt: nil, commands: [
                    OperatorBulk.Command(device: devices[0], gbcs: "AA=="),
                ])), 403, "may not act for national-grid"),
                (heron, OperatorAPIPath.bulkPlan, Self.json(Self.plan("heron-energy")), 403,
                 "SRV6.15.1 into Network Operator cells is the Network Operator's"),
                (nationalGrid, OperatorAPIPath.bulkPlan, Self.json(Self.plan("national-grdi")), 400, "national-grdi"),
                (nationalGrid, OperatorAPIPath.bulkPlan, Self.json(OperatorBulk.PlanRequest(
                    organisation: "national-grid", filter: "no=", certificate: "acb", executeAt: nil)), 400, "no="),
                (nationalGrid, OperatorAPIPath.bulkPlan, Self.json(OperatorBulk.PlanRequest(
                    organisation: "national-grid", filter: "no=national-grid", certificate: "acb", executeAt: "tomorrow")), 400, "executeAt is not a time"),
                // A time gone by is refused once, as at the DSP, not once for each device.
                (nationalGrid, OperatorAPIPath.bulkPlan, Self.json(OperatorBulk.PlanRequest(
                    organisation: "national-grid", filter: "no=national-grid", certificate: "acb", executeAt: "2020-01-01T00:00:00Z")), 400,
                 "is not after now"),
                (nationalGrid, OperatorAPIPath.bulkPrepare, Self.json(OperatorBulk.PrepareRequest(
                    organisation: "national-grid", certificate: "acb", executeAt: "9999-12-31T23:59:59Z", devices: devices)), 400,
                 "is the cancellation date-time"),
                (nationalGrid, OperatorAPIPath.bulkPrepare, Self.json(Self.group([devices[0], devices[0]])), 400, "names a device twice"),
                (nationalGrid, OperatorAPIPath.bulkPrepare, Self.json(Self.group([])), 400, "a group names 1 to"),
                (nationalGrid, OperatorAPIPath.bulkSend, Array("{\"organisation\": 1}".utf8), 400, "the body is not signed pre-commands"),
                (nationalGrid, OperatorAPIPath.bulkPlan, Array(#"{"organisation": "national-grid", "filter": "no=national-grid", "certificate": "acb", "limit": 1e400}"#.utf8),
                 400, "the body is not a bulk plan"),
                (nationalGrid, OperatorAPIPath.bulkPlan, Self.json(OperatorBulk.PlanRequest(
                    organisation: "national-grid", filter: "no=national-grid", certificate: "acb", executeAt: nil, limit: -1)), 400, "limit must be"),
                (nationalGrid, OperatorAPIPath.bulkPrepare, Array(#"{"organisation": "national-grid", "certificate": "acb", "devices": [12]}"#.utf8),
                 400, "the body is not a bulk group"),
                (nationalGrid, OperatorAPIPath.bulkPrepare, Self.json(Self.group((0...OperatorBulk.maximumGroup).map { EUI64(rawValue: UInt64($0)) })),
                 400, "a group names 1 to 10000 devices"),
            ]
            for (connection, path, body, status, reason) in refusals {
                let reply = try await offThePool { try connection.post(path, body: body, contentType: "application/json") }
                let error = (try? JSONDecoder().decode(OperatorReplies.Failure.self, from: Data(reply.body)))?.error ?? ""
                #expect(reply.status == status && error.contains(reason), "\(path): \(reply.status) \(error)")
            }
            #expect(try store.estate().ledger.requests.count == before)
            // Every refusal is one line of serve's output naming the operator, as a refused draft is.
            for (subject, reason) in [("CN=cadent,", "403 operator 'CN=cadent,O=Operators' may not act for national-grid"),
                                      ("CN=heron-energy,", "403 heron-energy is a Supplier"), ("CN=national-grid,", "400 a group names a device twice"),
                                      ("CN=national-grid,", "400 the body is not signed pre-commands")] {
                #expect(harness.lines.all.contains { $0.contains("operator '\(subject)") && $0.contains(reason) }, "\(reason): \(harness.lines.all)")
            }
        }
    }

    /// A filter matching more devices than the DSP lets an operator's bulk read is refused, and
    /// `limit` takes the first of those it allows.
    @Test func aPlanIsBoundedAndLimited() async throws {
        try await OperatorHarness.with(bulkDevices: 10) { harness in
            let nationalGrid = try harness.connection(as: "national-grid")
            let held = try harness.store.gpfs(heldBy: "national-grid").map(\.id)
            try #require(held.count > 10)
            let reply = try await offThePool {
                try nationalGrid.post(OperatorAPIPath.bulkPlan, body: Self.json(Self.plan("national-grid")), contentType: "application/json")
            }
            let error = (try? JSONDecoder().decode(OperatorReplies.Failure.self, from: Data(reply.body)))?.error ?? ""
            #expect(reply.status == 503 && error.hasPrefix("the filter matches \(held.count) devices, more than the 10"), "\(error)")
            var narrowed = Self.plan("national-grid")
            narrowed.filter = "no=national-grid \(held[0].description.filter { $0 != "-" })"
            narrowed.limit = 0
            let none: OperatorBulk.Plan = try await Self.answer(OperatorAPIPath.bulkPlan, narrowed, over: nationalGrid)
            #expect(none.pending.isEmpty)
            narrowed.limit = nil
            let one: OperatorBulk.Plan = try await Self.answer(OperatorAPIPath.bulkPlan, narrowed, over: nationalGrid)
            #expect(one.pending == [held[0]])
        }
    }

    static func plan(_ organisation: String) -> OperatorBulk.PlanRequest {
        OperatorBulk.PlanRequest(organisation: organisation, filter: "no=national-grid", certificate: "acb", executeAt: nil)
    }

    static func group(_ devices: [EUI64]) -> OperatorBulk.PrepareRequest {
        OperatorBulk.PrepareRequest(organisation: "national-grid", certificate: "acb", executeAt: nil, devices: devices)
    }

    /// `devices`' pre-commands from the DSP, signed with `organisation`'s Digital Signing key.
    static func signed(
        _ devices: [EUI64], as organisation: String, over connection: OperatorConnection, in store: DemoStore
    ) async throws -> OperatorBulk.SendRequest {
        try await signed(group(devices), as: organisation, over: connection, in: store)
    }

    /// `group`'s pre-commands from the DSP, signed with `organisation`'s Digital Signing key.
    static func signed(
        _ group: OperatorBulk.PrepareRequest, as organisation: String, over connection: OperatorConnection, in store: DemoStore
    ) async throws -> OperatorBulk.SendRequest {
        let prepared: OperatorBulk.Prepared = try await answer(OperatorAPIPath.bulkPrepare, group, over: connection)
        #expect(prepared.refused.isEmpty && prepared.preCommands.map(\.device) == group.devices)
        let commands = try prepared.preCommands.map { command in
            let signed = try store.signPreCommand(Array(try #require(Data(base64Encoded: command.gbcs))), as: organisation)
            return OperatorBulk.Command(device: command.device, gbcs: Data(signed).base64EncodedString())
        }
        return OperatorBulk.SendRequest(organisation: organisation, executeAt: nil, commands: commands)
    }

    /// `devices` handed back in one group, signed as `organisation`.
    static func handBack(
        _ devices: [EUI64], as organisation: String, over connection: OperatorConnection, in store: DemoStore
    ) async throws -> OperatorBulk.Sent {
        try await answer(OperatorAPIPath.bulkSend, try await signed(devices, as: organisation, over: connection, in: store), over: connection)
    }

    /// The JSON answer to POSTing `body` to `path`, which must be 200.
    static func answer<Value: Decodable>(_ path: String, _ body: some Encodable & Sendable, over connection: OperatorConnection) async throws -> Value {
        let bytes = json(body)
        let reply = try await offThePool { try connection.post(path, body: bytes, contentType: "application/json") }
        try #require(reply.status == 200, "\(path): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        return try JSONDecoder().decode(Value.self, from: Data(reply.body))
    }

    static func json(_ value: some Encodable) -> [UInt8] {
        (try? JSONEncoder().encode(value)).map(Array.init) ?? []
    }
}
