import AnchorCore
import DUIS
import GBCS
import Testing

/// The National Grid → Cadent story through HTTP only, as the GNO's and the Supplier's own
/// DUIS tooling would drive it.
@Suite(.serialized) struct DUISStoryTests {
    @Test func nationalGridHandsBackAndTheSupplierPlacesCadent() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        let device = try #require(try store.gpfs(heldBy: "national-grid").first)
        let nationalGrid = try store.organisation("national-grid")
        let handBack = DUISRequestID(
            originator: nationalGrid.entityId, target: device.id, counter: nationalGrid.lastCounter.value + 1)

        // CV4 to serviceT: the pre-command, nothing sent.
        let cv4 = try store.signed(
            DUISRequestDocument.updateSecurityCredentials(requestID: handBack, floor: nil, certificates: try store.certificates(of: "dcc-acb")),
            as: "national-grid")
        let transformed = try await harness.answer(.transform, cv4)
        #expect(transformed.code == "I0")
        #expect(transformed.requestID == handBack.description)
        let preCommand = try #require(transformed.preCommand)
        #expect(try store.estate().ledger.requests(for: device.id).isEmpty)

        // The GNO signs the GBCS itself, then CV5 to serviceS under the same Request ID.
        let cv5 = try store.signed(
            DUISRequestDocument.signedPreCommand(requestID: handBack, gbcs: try store.signPreCommand(preCommand, as: "national-grid")),
            as: "national-grid")
        #expect(try await harness.answer(.sendCommand, cv5).code == "I99")
        #expect(try store.estate().ledger.recordedCounters[device.id] == OriginatorCounter(handBack.counter))

        let first = await harness.receiver.waitFor(1)
        let deviceResponse = try Answer(try #require(first.first), store: store)
        #expect(deviceResponse.code == "I0")
        #expect(deviceResponse.responseID == handBack.responseID)
        let message = try GBCSMessage.decode(try #require(deviceResponse.gbcs))
        #expect(message.block.originator == device.id && message.block.originatorCounter.value == handBack.counter)
        guard case .updateSecurityCredentialsResponse = message.payload else { Issue.record("not a CS02b response"); return }

        // CV1 6.21 to serviceS: the ACB places Cadent with a counter above the recorded one.
        let supplier = try store.organisation(device.supplier)
        let handover = DUISRequestID(originator: supplier.entityId, target: device.id, counter: supplier.lastCounter.value + 1)
        let cv1 = try store.signed(
            DUISRequestDocument.requestHandover(requestID: handover, certificates: try store.certificates(of: "cadent")), as: supplier.id)
        #expect(try await harness.answer(.sendCommand, cv1).code == "I99")
        let estate = try store.estate()
        let placed = try #require(estate.ledger.lastRequest(for: device.id))
        #expect(placed.requestId == handover.description && placed.outcome == .succeeded)
        #expect(placed.originatorCounter.value > handBack.counter)
        #expect(estate.devices[device.id]?.cells[.networkOperatorDS].flatMap { estate.ledger.owner(ofCertificate: $0) }?.id == "cadent")
        let both = await harness.receiver.waitFor(2)
        #expect(both.count == 2)
        #expect(try Answer(both[1], store: store).responseID == handover.responseID)
    }

    @Test func withLegacyCountersTheDeviceRefusesTheACBsCommand() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store, legacyCounters: true)
        defer { Task { await harness.stop() } }
        let device = try #require(try store.gpfs(heldBy: "national-grid").first)
        let nationalGrid = try store.organisation("national-grid")
        let handBack = DUISRequestID(originator: nationalGrid.entityId, target: device.id, counter: nationalGrid.lastCounter.value + 1)
        let cv4 = try store.signed(
            DUISRequestDocument.updateSecurityCredentials(requestID: handBack, floor: nil, certificates: try store.certificates(of: "dcc-acb")),
            as: "national-grid")
        let preCommand = try #require(try await harness.answer(.transform, cv4).preCommand)
        let cv5 = try store.signed(
            DUISRequestDocument.signedPreCommand(requestID: handBack, gbcs: try store.signPreCommand(preCommand, as: "national-grid")),
            as: "national-grid")
        #expect(try await harness.answer(.sendCommand, cv5).code == "I99")

        let supplier = try store.organisation(device.supplier)
        let handover = DUISRequestID(originator: supplier.entityId, target: device.id, counter: supplier.lastCounter.value + 1)
        let cv1 = try store.signed(
            DUISRequestDocument.requestHandover(requestID: handover, certificates: try store.certificates(of: "cadent")), as: supplier.id)
        #expect(try await harness.answer(.sendCommand, cv1).code == "I99")
        let responses = await harness.receiver.waitFor(2)
        let refusal = try Answer(try #require(responses.last), store: store)
        #expect(refusal.responseID == handover.responseID)
        let message = try GBCSMessage.decode(try #require(refusal.gbcs))
        guard case .commandRefused(let alert) = message.payload else { Issue.record("not the device's refusal"); return }
        #expect(alert.reason == .antiReplay)
        #expect(try store.estate().ledger.lastRequest(for: device.id)?.reason == .antiReplay)
    }
}
