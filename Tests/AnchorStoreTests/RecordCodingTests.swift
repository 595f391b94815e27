import AnchorCore
import GPFSimulator
import Testing
@testable import AnchorStore

@Suite("Snapshot and journal records round-trip")
struct RecordCodingTests {
    /// The demo estate after a hand-back, a handover and a legacy rejection, with a hostile name.
    func busyEstate() throws -> Estate {
        var estate = try DemoData.load(from: StoreTests.demoFolder, now: StoreTests.demoNow)
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
        let estate = try DemoData.load(from: StoreTests.demoFolder, now: StoreTests.demoNow)
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

@Suite("Lifecycle, recovery and audit records round-trip")
struct LifecycleRecordCodingTests {
    /// The demo estate after a Recovery Event, a refused cease, a revocation and a subscription with new certificates.
    func lifecycleEstate() throws -> (Estate, [LifecycleChange]) {
        var estate = try DemoData.load(from: StoreTests.demoFolder, now: StoreTests.demoNow)
        let now = Timestamp(secondsSince1970: 1_764_000_000)
        let device = try #require(EUI64("00-DB-12-01-73-F7-8B-92"))
        estate.apply(try estate.evaluate(.recovery(RecoveryRequest(
            device: device, replacementCertificates: ["acb-ds", "acb-ka"], newFloor: OriginatorCounter(UInt64.max),
            reason: "tab\there \"quoted\" ünïcødé")), now: now))
        var changes: [LifecycleChange] = []
        for (action, organisation) in [(OrganisationAction.cease, "national-grid"), (.revoke, "northern-gas-networks"),
                                       (.subscribe, "northern-gas-networks"), (.subscribe, "sgn")] {
            if case .change(let change) = try OrganisationLifecycle.decide(action, organisation: organisation, estate: estate, now: now) {
                estate.apply(change)
                changes.append(change)
            }
        }
        return (estate, changes)
    }

    @Test func lifecycleJournalRecordsRoundTrip() throws {
        let (_, changes) = try lifecycleEstate()
        #expect(changes.map(\.record.outcome) == [.rejected, .succeeded, .rejected])
        for change in changes {
            let encoded = ChangeRecordCoding.encode(sequence: 42, content: .lifecycle(change), previous: .genesis)
            let decoded = try ChangeRecordCoding.decode(encoded.bytes)
            #expect(decoded.sequence == 42)
            #expect(decoded.content == .lifecycle(change))
            #expect(decoded.audit?.hash == encoded.hash)
            #expect(encoded.kind == .lifecycle)
        }
    }

    @Test func theSnapshotKeepsLifecycleRecoveryAndAudit() throws {
        let (estate, _) = try lifecycleEstate()
        #expect(estate.ledger.requests.last?.recovery != nil)
        let audit = [
            AuditEntry(sequence: 1, kind: .request, position: 0, previousHash: .genesis, hash: AuditHash(bytes: (0..<32).map(UInt8.init))),
            AuditEntry(sequence: 2, kind: .lifecycle, position: 0, previousHash: AuditHash(bytes: (0..<32).map(UInt8.init)),
                       hash: AuditHash(bytes: [UInt8](repeating: 0xFF, count: 32))),
        ]
        let bytes = SnapshotCodec.encode(estate, audit: audit)
        let contents = try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in try SnapshotCodec.decode(buffer, recordingOffsets: true) }
        #expect(contents.estate == estate)
        #expect(contents.audit == audit)
        #expect((contents.offsets.rows[.request] ?? []).count == estate.ledger.requests.count)
        #expect((contents.offsets.rows[.lifecycle] ?? []).count == estate.ledger.lifecycle.count)
        #expect(contents.offsets.audit.map { bytes[$0] } == [UInt8(ascii: "["), UInt8(ascii: "[")])
        #expect(AuditHash(hex: audit[1].hash.description) == audit[1].hash)
        #expect(audit[0].hash.description == "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
    }

    @Test("malformed audit and lifecycle rows are refused", arguments: [
        "{\"audit\":[[\"1\",\"request\",0,\"00\",\"00\"]]}",
        "{\"audit\":[[\"1\",\"gossip\",0]]}",
        "{\"lifecycle\":[{\"action\":\"emigrate\"}]}",
        "{\"requests\":[[\"r\",\"recovery\",\"00-DB-12-01-73-F7-8B-92\",\"a\",\"b\",\"1\",\"succeeded\",null,\"\",null,null,null,null,null,[],\"2026-01-01T00:00:00Z\",{\"reason\":\"x\"},1]]}",
    ])
    func malformed(text: String) {
        #expect(throws: JSONReadError.self) { try Array(text.utf8).withUnsafeBufferPointer { buffer throws(JSONReadError) in try SnapshotCodec.decode(buffer) } }
    }
}
