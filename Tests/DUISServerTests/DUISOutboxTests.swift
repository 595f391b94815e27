import AnchorCore
import DUIS
import DUISServer
import Foundation
import Testing

/// Device responses wait in the outbox while the User's endpoint is down, survive a restart,
/// and are delivered once each when it comes up.
@Suite(.serialized) struct DUISOutboxTests {
    @Test func aResponseWaitsForTheUsersEndpointAndArrivesOnce() async throws {
        let store = try DemoStore()
        let port = try ResponseReceiver.closedPort()
        let receiver = ResponseReceiver()
        let first = try await DUISHarness(store: store, receiver: receiver, receiverPort: port)
        let device = try #require(try store.gpfs(heldBy: "dcc-acb").first)
        let supplier = try store.organisation(device.supplier)
        let id = DUISRequestID(originator: supplier.entityId, target: device.id, counter: supplier.lastCounter.value + 1)
        let request = try store.signed(DUISRequestDocument.requestHandover(requestID: id, certificates: try store.certificates(of: "cadent")), as: supplier.id)
        #expect(try await first.answer(.sendCommand, request).code == "I99")
        let outbox = DUISOutbox(storeDirectory: store.directory)
        try await Task.sleep(for: .milliseconds(700))
        #expect(try outbox.pending().count == 1)
        await first.stop()

        // A new server over the same store, and the endpoint comes up: the waiting response goes, once.
        let second = try await DUISHarness(store: store, receiver: receiver, receiverPort: port)
        let (listening, _) = try await receiver.start(port: port)
        let delivered = await receiver.waitFor(1)
        #expect(delivered.count == 1)
        #expect(try Answer(try #require(delivered.first), store: store).responseID == id.responseID)
        // The receiver counts the body before its 2xx reaches the sender, which then removes the file.
        for _ in 0..<200 where try !outbox.pending().isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        #expect(try outbox.pending().isEmpty)
        try await Task.sleep(for: .milliseconds(500))
        #expect(receiver.bodies.count == 1)
        await second.stop()
        listening.cancel()
    }
}
