import AnchorCore
import DUIS
import Foundation
@testable import DUISServer
import Testing

/// What an unauthenticated caller can make `serve` do is bounded before any canonical XML or
/// digest (issue 27, case 1): namespace declarations and attributes by the thousand are refused
/// with HTTP 400 and one log line, and a request being read never holds up another.
@Suite(.serialized) struct DUISBoundedWorkTests {
    /// A handover request for the `device`th GPF the ACB holds, signed by its Supplier, with its Request ID.
    private func validRequest(_ store: DemoStore, device index: Int = 0, counterOffset: UInt64 = 1) throws -> (DUISRequestID, [UInt8]) {
        let device = try #require(try store.gpfs(heldBy: "dcc-acb").dropFirst(index).first)
        let supplier = try store.organisation(device.supplier)
        let id = DUISRequestID(originator: supplier.entityId, target: device.id, counter: supplier.lastCounter.value + counterOffset)
        return (id, try store.signed(DUISRequestDocument.requestHandover(requestID: id, certificates: try store.certificates(of: "cadent")),
                                     as: supplier.id))
    }

    /// The issue's request: a signed request's KeyInfo kept (anyone can copy an X509IssuerSerial),
    /// the SignatureValue 64 octets of 0x01, and `count` namespace declarations on `sr:Header`.
    private func namespaceFlood(_ store: DemoStore, count: Int) throws -> [UInt8] {
        var text = String(decoding: try validRequest(store, counterOffset: 7).1, as: UTF8.self)
        let declarations = (0..<count).map { " xmlns:n\($0)=\"urn:x\($0)\"" }.joined()
        text = text.replacingOccurrences(of: "<sr:Header>", with: "<sr:Header\(declarations)>")
        let value = try #require(text.range(of: "<ds:SignatureValue>")?.upperBound)
        let valueEnd = try #require(text.range(of: "</ds:SignatureValue>")?.lowerBound)
        text.replaceSubrange(value..<valueEnd, with: Data(repeating: 0x01, count: 64).base64EncodedString())
        return Array(text.utf8)
    }

    @Test func namespaceDeclarationsByTheThousandAreRefusedBeforeTheDigest() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        let before = try store.estate().ledger.requests.count
        let (status, body) = try await harness.post(.sendCommand, try namespaceFlood(store, count: 5_000))
        #expect(status == 400)
        #expect(String(decoding: body, as: UTF8.self).contains("namespace declarations"))
        let lines = harness.lines.all
        #expect(lines.count == 1)
        #expect(lines.first?.contains(" 400 too much XML structure: more than 8 namespace declarations on one element") == true, "\(lines)")
        #expect(try store.estate().ledger.requests.count == before)
    }

    @Test func aValidRequestIsAnsweredBesideTheIssuesTwelveThousandDeclarations() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        let flood = try namespaceFlood(store, count: 12_000)
        let (id, valid) = try validRequest(store)
        async let hostile = harness.post(.sendCommand, flood)
        let answer = try await harness.answer(.sendCommand, valid)
        #expect(answer.code == "I99")
        #expect(answer.requestID == id.description)
        #expect(try await hostile.status == 400)
        #expect(harness.lines.all.filter { $0.contains("namespace declarations") }.count == 1)
    }

    @Test func sixtyThousandAttributesOnOneElementAreRefusedByTheirCount() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        let attributes = (0..<60_000).map { " a\($0)=\"v\"" }.joined()
        let body = Array("<sr:Request xmlns:sr=\"\(DUISSchema.namespace)\"\(attributes)/>".utf8)
        #expect(body.count > 600_000 && body.count < ParsedXML.maximumBytes)
        let (status, reply) = try await harness.post(.sendCommand, body)
        #expect(status == 400)
        #expect(String(decoding: reply, as: UTF8.self).contains("more than 32 attributes on one element"))
        #expect(harness.lines.all.count == 1)
        #expect(harness.lines.all.first?.contains("more than 32 attributes on one element") == true)
    }

    @Test func declarationsSpreadOverElementsMeetTheDocumentsLimit() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        var text = String(decoding: try validRequest(store).1, as: UTF8.self)
        let spread = (0..<10).map { element in
            "<n:x xmlns:n=\"urn:n\"" + (0..<4).map { " xmlns:m\(element)x\($0)=\"urn:m\($0)\"" }.joined() + "/>"
        }.joined()
        text = text.replacingOccurrences(of: "</sr:Header>", with: spread + "</sr:Header>")
        let (status, reply) = try await harness.post(.sendCommand, Array(text.utf8))
        #expect(status == 400)
        #expect(String(decoding: reply, as: UTF8.self).contains("more than 16 namespace declarations"))
    }

    /// A DUIS request is read beside the others; a body heavier than one could be goes to the
    /// one-at-a-time, background lane.
    @Test func onlyBodiesHeavierThanARequestCouldBeAreReadOnTheHeavyLane() throws {
        let store = try DemoStore()
        let request = try validRequest(store).1
        #expect(DUISService.isOrdinary(request))
        let shape = try XMLShape(measuring: request)
        #expect(shape.parsedNodes < DUISService.ordinaryNodes / 3, "a request is well within: \(shape)")
        var text = String(decoding: request, as: UTF8.self)
        let padding = "<sr:x>" + String(repeating: "p", count: DUISService.ordinaryBytes) + "</sr:x>"
        #expect(!DUISService.isOrdinary(Array(text.replacingOccurrences(of: "</sr:Header>", with: padding + "</sr:Header>").utf8)))
        text = text.replacingOccurrences(of: "</sr:Header>", with: String(repeating: "<sr:e/>", count: DUISService.ordinaryNodes) + "</sr:Header>")
        #expect(text.utf8.count <= DUISService.ordinaryBytes)
        #expect(!DUISService.isOrdinary(Array(text.utf8)), "as many elements as the limit allows nodes")
    }

    /// One request held while it is being read: another is read, decided and answered meanwhile.
    @Test func aRequestBeingReadDoesNotHoldUpAnother() async throws {
        let store = try DemoStore()
        let (slowID, slow) = try validRequest(store, device: 0, counterOffset: 1)
        let (id, valid) = try validRequest(store, device: 1, counterOffset: 2)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let service = DUISService(
            configuration: DUISServiceConfiguration(storeDirectory: store.directory), log: { _ in }, enqueued: {},
            authenticationStarted: { body in
                guard body == slow else { return }
                entered.signal()
                release.wait()
            })
        let held = Task { await service.handle(.sendCommand, body: slow) }
        await Task.detached { entered.wait() }.value
        let answered = Task { await service.handle(.sendCommand, body: valid) }
        let reply = try await withThrowingTaskGroup(of: DUISReply?.self) { group in
            group.addTask { await answered.value }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        release.signal()
        let unheld = try #require(reply, "the second request waited for the first, which was still being read")
        #expect(try Answer(unheld.body, store: store).requestID == id.description)
        #expect(try Answer(await held.value.body, store: store).requestID == slowID.description)
        await service.close()
    }
}
