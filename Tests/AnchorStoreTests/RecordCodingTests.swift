import AnchorCore
import GPFSimulator
import Testing
@testable import AnchorStore

@Suite("Snapshot and journal records round-trip")
struct RecordCodingTests {
    /// The demo estate after a hand-back, a handover and a legacy rejection, with a hostile name.
    func busyEstate() throws -> Estate {
        var estate = try DemoData.load(from: StoreTests.demoFolder)
        var organisations = estate.ledger.organisations
        organisations[0].name = "Root \u{1B}[31m\"quoted\"\\ \u{202E} ünïcødé 𝔊"
        estate.ledger = Ledger(organisations: organisations, certificates: estate.ledger.certificates)
        let now = Timestamp(secondsSince1970: 1_764_000_000)
        let devices = ["00-DB-12-01-73-F7-8B-92", "00-DB-12-02-2F-AE-E4-4E"].compactMap { EUI64($0) }
        for device in devices {
            estate.apply(try estate.evaluate(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: "national-grid", device: device, replacementCertificates: ["acb-ds", "acb-ka"])), now: now))
        }
        estate.apply(try estate.evaluate(.requestHandover(HandoverRequest(
            supplier: "heron-energy", device: devices[0], networkOperator: "cadent")), now: now))
        estate.apply(try estate.evaluate(.requestHandover(HandoverRequest(
            supplier: "kestrel-supply", device: devices[1], networkOperator: "cadent", legacyCounters: true)), now: now))
        return estate
    }

    @Test func theSnapshotBodyRoundTrips() throws {
        let estate = try busyEstate()
        let bytes = SnapshotCodec.encode(estate)
        #expect(try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in try SnapshotCodec.decode(buffer) } == estate)
        // One device per line, readable, and well under 200 bytes each.
        let text = String(decoding: bytes, as: UTF8.self)
        let deviceLines = text.split(separator: "\n").filter { $0.hasPrefix("[\"00-DB-") }
        #expect(deviceLines.count == estate.devices.count)
        #expect(deviceLines.allSatisfy { $0.utf8.count < 200 })
    }

    @Test func journalRecordsRoundTrip() throws {
        let estate = try DemoData.load(from: StoreTests.demoFolder)
        let device = try #require(EUI64("00-DB-12-01-73-F7-8B-92"))
        for request: ServiceRequest in [
            .updateSecurityCredentials(UpdateSecurityCredentialsRequest(sender: "national-grid", device: device, replacementCertificates: ["acb-ds", "acb-ka"],
                                                                        counter: OriginatorCounter(UInt64.max), newFloor: OriginatorCounter(0))),
            .requestHandover(HandoverRequest(supplier: "heron-energy", device: device, networkOperator: "cadent", legacyCounters: true)),
            .requestHandover(HandoverRequest(supplier: "kestrel-supply", device: device, networkOperator: "northern-gas-networks")),
        ] {
            let change = try estate.evaluate(request, now: Timestamp(secondsSince1970: 0))
            let encoded = ChangeRecordCoding.encode(sequence: UInt64.max, content: .request(change), previous: .genesis)
            #expect(!encoded.bytes.contains(UInt8(ascii: "\n")))
            let decoded = try ChangeRecordCoding.decode(encoded.bytes)
            #expect(decoded.sequence == UInt64.max)
            #expect(decoded.content == .request(change))
            #expect(decoded.audit == AuditLink(previousHash: .genesis, hash: encoded.hash))
        }
    }

    @Test("snapshot bodies with a wrong shape are refused with an offset", arguments: [
        "{\"devices\":[]}",
        "{\"organisations\":[{\"id\":\"x\"}]}",
        "{\"cellSets\":[],\"devices\":[[\"00-DB-12-01-73-F7-8B-92\",\"GPF\",\"s\",null,0,{}]]}",
        "{\"colour\":1}",
        "{\"cellSets\":[{\"root\":\"r\",\"attic\":\"x\"}]}",
        "{\"recordedCounters\":{\"nope\":\"1\"}}",
        "{\"recordedCounters\":{\"00DB120173F78B92\":\"-1\"}}",
    ])
    func wrongShapes(text: String) {
        #expect(throws: JSONReadError.self) { try Array(text.utf8).withUnsafeBufferPointer { buffer throws(JSONReadError) in try SnapshotCodec.decode(buffer) } }
    }
}
