import AnchorCore
import DUIS
import Foundation
import Testing

/// Eight Users' tooling at once over loopback: every request answered once, every acknowledged
/// one in the store's log, every device response delivered once. (The 10,000-request figure
/// with requests/s and p99 is the benchmark's, `--only duis`.)
@Suite(.serialized) struct DUISConcurrencyTests {
    @Test func eightClientsLoseAndDuplicateNothing() async throws {
        let store = try DemoStore(extraSuppliers: 8)
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        var requests: [[(DUISRequestID, [UInt8])]] = []
        for client in 1...8 {
            let supplier = try store.organisation("load-supplier-\(client)")
            let devices = try store.gpfs(heldBy: "dcc-acb").filter { $0.supplier == supplier.id }
            requests.append(try devices.enumerated().map { index, device in
                let id = DUISRequestID(originator: supplier.entityId, target: device.id, counter: UInt64(index + 1))
                return (id, try store.signed(DUISRequestDocument.requestHandover(requestID: id, certificates: try store.certificates(of: "cadent")), as: supplier.id))
            })
        }
        let total = requests.map(\.count).reduce(0, +)
        #expect(total >= 64)
        let answers = try await withThrowingTaskGroup(of: [(DUISRequestID, String)].self) { group in
            for batch in requests {
                group.addTask {
                    var codes: [(DUISRequestID, String)] = []
                    for (id, body) in batch { codes.append((id, try await harness.answer(.sendCommand, body).code)) }
                    return codes
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(answers.count == total)
        #expect(answers.allSatisfy { $0.1 == "I99" })
        let ledger = try store.estate().ledger
        for (id, _) in answers {
            #expect(ledger.requests(for: id.target).filter { $0.requestId == id.description }.count == 1, "\(id)")
        }
        let delivered = await harness.receiver.waitFor(total)
        let responseIDs = try delivered.map { try #require(try Answer($0, store: store).responseID) }
        #expect(responseIDs.count == total)
        #expect(Set(responseIDs) == Set(answers.map { $0.0.responseID }))
    }
}
