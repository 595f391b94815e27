import AnchorCore
import Testing
@testable import AnchorStore

/// A request an operator sent through the operator API keeps the operator's certificate subject
/// in both of the journal's forms, so compaction and the audit chain keep it; a request without
/// one is written exactly as before.
@Suite struct OperatorRecordCodingTests {
    static func record(recovery: RecoveryDetails?, operatorSubject: String?) -> RequestRecord {
        RequestRecord(
            requestId: "90-B3-D5-1F-30-00-00-10:00-DB-12-01-73-F7-8B-92:7", service: .updateSecurityCredentials,
            device: EUI64(rawValue: 0x00DB_1201_73F7_8B92), requester: "national-grid", originator: "national-grid",
            originatorCounter: OriginatorCounter(7), outcome: .succeeded, reason: nil, detail: "the device replaced 2 certificate(s)",
            recordedCounter: OriginatorCounter(7), deviceFloor: OriginatorCounter(7), generatedCounter: nil, storedCounter: nil,
            legacyCounters: nil, certificates: ["acb-ds", "acb-ka"], at: Timestamp(secondsSince1970: 1_800_000_000),
            recovery: recovery, operatorSubject: operatorSubject)
    }

    static let cases: [(RecoveryDetails?, String?)] = [
        (nil, nil),
        (RecoveryDetails(reason: "key compromise", previousHolder: "cadent", newFloor: OriginatorCounter(9)), nil),
        (nil, "CN=national-grid,O=AnchorDesk demo operators"),
        (RecoveryDetails(reason: "key compromise", previousHolder: nil, newFloor: OriginatorCounter(9)), "CN=dcc,O=Operators \"quoted\""),
    ]

    @Test(arguments: 0..<4) func bothFormsReadBackWhatWasWritten(index: Int) throws {
        let (recovery, subject) = Self.cases[index]
        let record = Self.record(recovery: recovery, operatorSubject: subject)
        var object = JSONWriter(reservingCapacity: 512)
        LedgerRecordCoding.write(record, to: &object)
        var compact = JSONWriter(reservingCapacity: 512)
        LedgerRecordCoding.writeCompact(record, to: &compact)
        let fromObject = try object.bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
            var reader = JSONReader(buffer)
            return try LedgerRecordCoding.readRequest(&reader)
        }
        let fromCompact = try compact.bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
            var reader = JSONReader(buffer)
            return try LedgerRecordCoding.readCompactRequest(&reader)
        }
        #expect(fromObject == record)
        #expect(fromCompact == record)
        let text = String(decoding: object.bytes, as: UTF8.self)
        #expect(text.contains("\"operator\"") == (subject != nil))
        #expect(text.hasSuffix(subject == nil ? (recovery == nil ? "Z\"}" : "}}") : "\"}"))
    }

    @Test func theOperatorIsPartOfTheAuditHash() {
        let without = AuditChain.canonical(Self.record(recovery: nil, operatorSubject: nil))
        let with = AuditChain.canonical(Self.record(recovery: nil, operatorSubject: "CN=cadent,O=Operators"))
        #expect(with != without)
        #expect(Array(with.prefix(without.count - 1)) == Array(without.dropLast()))
    }
}

/// An organisation lifecycle action an operator asked for through the operator API keeps the
/// operator's subject, and is part of its audit hash; one without is written exactly as before.
@Suite struct OperatorLifecycleRecordCodingTests {
    static func record(operatorSubject: String?) -> LifecycleRecord {
        LifecycleRecord(
            action: .cease, organisation: "national-grid", outcome: .rejected, reason: .certificatesOnDevices,
            detail: "3 devices still hold national-grid's certificates", devicesHoldingCertificates: 3, certificates: [],
            at: Timestamp(secondsSince1970: 1_800_000_000), operatorSubject: operatorSubject)
    }

    @Test(arguments: [nil, "CN=dcc,O=AnchorDesk demo operators", "CN=dcc,O=\"quoted\" \\ back"]) func itReadsBackWhatWasWritten(subject: String?) throws {
        let record = Self.record(operatorSubject: subject)
        var writer = JSONWriter(reservingCapacity: 512)
        LifecycleRecordCoding.write(record, to: &writer)
        let read = try writer.bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
            var reader = JSONReader(buffer)
            return try LifecycleRecordCoding.readRecord(&reader)
        }
        #expect(read == record)
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text.contains("\"operator\"") == (subject != nil))
        if subject == nil { #expect(text.hasSuffix("\"at\":\"2027-01-15T08:00:00Z\"}"), "\(text)") }
    }

    @Test func theOperatorIsPartOfTheAuditHash() {
        let without = AuditChain.canonical(Self.record(operatorSubject: nil))
        let with = AuditChain.canonical(Self.record(operatorSubject: "CN=dcc,O=Operators"))
        #expect(with != without)
        #expect(Array(with.prefix(without.count - 1)) == Array(without.dropLast()))
    }
}
