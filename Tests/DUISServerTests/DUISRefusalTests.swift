import AnchorCore
import AnchorStore
import DUIS
import Foundation
import Testing

/// Each refusal gets its code, is logged, and changes nothing: not the devices, not the log.
@Suite(.serialized) struct DUISRefusalTests {
    /// The store's request log and devices, to compare before and after.
    private func snapshot(_ store: DemoStore) throws -> (Int, [Device], [String: OriginatorCounter]) {
        let estate = try store.estate()
        return (estate.ledger.requests.count, Array(estate.devices),
                Dictionary(uniqueKeysWithValues: estate.ledger.organisations.map { ($0.id, $0.lastCounter) }))
    }

    private func handover(_ store: DemoStore, device: Device, by supplier: String, counter: UInt64? = nil, signer: String? = nil) throws -> (DUISRequestID, [UInt8]) {
        let organisation = try store.organisation(supplier)
        let id = DUISRequestID(originator: organisation.entityId, target: device.id, counter: counter ?? organisation.lastCounter.value + 1)
        return (id, try store.signed(
            DUISRequestDocument.requestHandover(requestID: id, certificates: try store.certificates(of: "cadent")), as: signer ?? supplier))
    }

    @Test func eachRefusalHasItsCodeAndChangesNothing() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        let acbDevice = try #require(try store.gpfs(heldBy: "dcc-acb").first)
        let otherSupplier = try #require(try store.estate().ledger.organisations.first { $0.role == .supplier && $0.id != acbDevice.supplier && $0.dccUser })

        // Accepted once, so its Request ID is used.
        let (_, accepted) = try handover(store, device: acbDevice, by: acbDevice.supplier)
        #expect(try await harness.answer(.sendCommand, accepted).code == "I99")
        let before = try snapshot(store)

        var cases: [(String, DUISEndpoint, [UInt8], String)] = []
        cases.append(("replayed Request ID", .sendCommand, accepted, "E062103"))
        let (_, notSigner) = try handover(store, device: acbDevice, by: acbDevice.supplier, signer: otherSupplier.id)
        cases.append(("originator is not the signer", .sendCommand, notSigner, "E1"))
        let otherDevice = try #require(try store.gpfs(heldBy: "dcc-acb").first { $0.supplier == acbDevice.supplier && $0.id != acbDevice.id })
        let (_, notTheirs) = try handover(store, device: otherDevice, by: otherSupplier.id)
        cases.append(("a Supplier asks for another Supplier's device", .sendCommand, notTheirs, "E4"))
        let northern = try store.organisation("northern-gas-networks")
        let northernDevice = try #require(try store.gpfs(heldBy: "national-grid").first)
        let notUser = try store.signed(DUISRequestDocument.updateSecurityCredentials(
            requestID: DUISRequestID(originator: northern.entityId, target: northernDevice.id, counter: northern.lastCounter.value + 1),
            floor: nil, certificates: try store.certificates(of: "dcc-acb")), as: "northern-gas-networks")
        cases.append(("a GNO that is not a DCC User", .transform, notUser, "E3"))
        let unknown = try store.signed(DUISRequestDocument.requestHandover(
            requestID: DUISRequestID(originator: try store.organisation(acbDevice.supplier).entityId, target: EUI64(rawValue: 0x00DB_FFFF_FFFF_FFFF), counter: 1 << 60),
            certificates: try store.certificates(of: "cadent")), as: acbDevice.supplier)
        cases.append(("an unknown device", .sendCommand, unknown, "E19"))
        let (_, fresh) = try handover(store, device: otherDevice, by: acbDevice.supplier, counter: 1 << 61)
        cases.append(("the wrong endpoint for its Command Variant", .transform, fresh, "E13"))
        let unsigned = DUISRequestDocument.requestHandover(
            requestID: DUISRequestID(originator: try store.organisation(acbDevice.supplier).entityId, target: otherDevice.id, counter: 1 << 61),
            certificates: try store.certificates(of: "cadent"))
        cases.append(("an unsigned request", .sendCommand, unsigned, "E1"))
        var changed = fresh
        let counterText = Array("\(UInt64(1) << 61)".utf8)
        let at = try #require((0...(changed.count - counterText.count)).first { changed[$0..<($0 + counterText.count)].elementsEqual(counterText) })
        changed[at] = changed[at] == UInt8(ascii: "1") ? UInt8(ascii: "3") : UInt8(ascii: "1")
        cases.append(("a byte changed after signing", .sendCommand, changed, "E1"))

        for (name, endpoint, body, code) in cases {
            let answer = try await harness.answer(endpoint, body)
            #expect(answer.code == code, "\(name)")
            let after = try snapshot(store)
            #expect(after.0 == before.0 && after.1 == before.1 && after.2 == before.2, "\(name) changed the store")
        }
        #expect(harness.lines.all.filter { $0.contains(" E") }.count == cases.count)
        #expect(await harness.receiver.waitFor(1).count == 1)
    }

    @Test func anUnsignedRequestNeverTakesTheStoresLock() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        let device = try #require(try store.gpfs(heldBy: "dcc-acb").first)
        let supplier = try store.organisation(device.supplier)
        let unsigned = DUISRequestDocument.requestHandover(
            requestID: DUISRequestID(originator: supplier.entityId, target: device.id, counter: supplier.lastCounter.value + 1),
            certificates: try store.certificates(of: "cadent"))
        #expect(try await harness.answer(.sendCommand, unsigned).code == "E1")
        let lock = try StoreLock.acquire(directory: store.directory, timeout: .zero)
        lock.release()
    }

    @Test func hostileOrForeignBodiesAreRefusedAndTheServerCarriesOn() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        let billionLaughs = Array("""
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4">&lol2;</sr:Request>
            """.utf8)
        let external = Array("""
            <?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>
            """.utf8)
        let deep = Array((String(repeating: "<a>", count: 5000) + String(repeating: "</a>", count: 5000)).utf8)
        let huge = [UInt8](repeating: UInt8(ascii: " "), count: 10 << 20)
        let escape = Array("<r>\u{1B}[2J</r>".utf8)
        for (name, body, status) in [("entity expansion", billionLaughs, 400), ("external entity", external, 400), ("deep nesting", deep, 400),
                                     ("10 MB body", huge, 413), ("not XML", Array("hello".utf8), 400), ("no RequestID, escape in data", escape, 400)] {
            let (code, reply) = try await harness.post(.sendCommand, body)
            #expect(code == status, "\(name)")
            #expect(!reply.contains(0x1B), "\(name) echoed an escape")
        }
        #expect(try await harness.post(.sendCommand, Array("<r/>".utf8), contentType: "application/json").status == 415)
        let device = try #require(try store.gpfs(heldBy: "dcc-acb").first)
        let supplier = try store.organisation(device.supplier)
        let id = DUISRequestID(originator: supplier.entityId, target: device.id, counter: supplier.lastCounter.value + 1)
        let request = try store.signed(DUISRequestDocument.requestHandover(requestID: id, certificates: try store.certificates(of: "cadent")), as: supplier.id)
        #expect(try await harness.answer(.sendCommand, request).code == "I99")
    }
}
