import AnchorCore

/// The store's hand-written JSON for organisations, certificates, history and requests.
/// Keys match the Codable forms, so the files read the same either way.
enum LedgerRecordCoding {
    static func write(_ organisation: Organisation, to writer: inout JSONWriter) {
        writer.raw("{\"id\":"); writer.string(organisation.id)
        writer.raw(",\"name\":"); writer.string(organisation.name)
        writer.raw(",\"role\":"); writer.string(organisation.role.rawValue)
        writer.raw(",\"entityId\":"); writer.eui64(organisation.entityId)
        writer.raw(",\"dccUser\":"); writer.bool(organisation.dccUser)
        writer.raw(",\"subscribed\":"); writer.bool(organisation.subscribed)
        writer.raw(",\"lastCounter\":"); writer.counter(organisation.lastCounter)
        writer.byte(UInt8(ascii: "}"))
    }

    static func readOrganisation(_ reader: inout JSONReader) throws(JSONReadError) -> Organisation {
        var id: String?, name: String?, role: OrganisationRole?, entityId: EUI64?
        var dccUser: Bool?, subscribed: Bool?, lastCounter: OriginatorCounter?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "id": id = try reader.readString()
            case "name": name = try reader.readString()
            case "role": role = try reader.readEnum(OrganisationRole.self)
            case "entityId": entityId = try reader.readEUI64()
            case "dccUser": dccUser = try reader.readBool()
            case "subscribed": subscribed = try reader.readBool()
            case "lastCounter": lastCounter = try reader.readCounter()
            default: throw reader.unknownKey(key, in: "an organisation")
            }
        }
        let object = "an organisation"
        return Organisation(
            id: try reader.require(id, "id", in: object), name: try reader.require(name, "name", in: object),
            role: try reader.require(role, "role", in: object), entityId: try reader.require(entityId, "entityId", in: object),
            dccUser: try reader.require(dccUser, "dccUser", in: object),
            subscribed: try reader.require(subscribed, "subscribed", in: object),
            lastCounter: try reader.require(lastCounter, "lastCounter", in: object))
    }

    static func write(_ certificate: Certificate, to writer: inout JSONWriter) {
        writer.raw("{\"id\":"); writer.string(certificate.id)
        writer.raw(",\"owner\":"); writer.string(certificate.owner)
        writer.raw(",\"keyUsage\":"); writer.string(certificate.keyUsage.rawValue)
        writer.raw(",\"inRepository\":"); writer.bool(certificate.inRepository)
        writer.raw(",\"revoked\":"); writer.bool(certificate.revoked)
        writer.byte(UInt8(ascii: "}"))
    }

    static func readCertificate(_ reader: inout JSONReader) throws(JSONReadError) -> Certificate {
        var id: String?, owner: String?, keyUsage: KeyUsage?, inRepository: Bool?, revoked: Bool?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "id": id = try reader.readString()
            case "owner": owner = try reader.readString()
            case "keyUsage": keyUsage = try reader.readEnum(KeyUsage.self)
            case "inRepository": inRepository = try reader.readBool()
            case "revoked": revoked = try reader.readBool()
            default: throw reader.unknownKey(key, in: "a certificate")
            }
        }
        let object = "a certificate"
        return Certificate(
            id: try reader.require(id, "id", in: object), owner: try reader.require(owner, "owner", in: object),
            keyUsage: try reader.require(keyUsage, "keyUsage", in: object),
            inRepository: try reader.require(inRepository, "inRepository", in: object),
            revoked: try reader.require(revoked, "revoked", in: object))
    }

    static func write(_ entry: CounterHistoryEntry, to writer: inout JSONWriter) {
        writer.raw("{\"at\":"); writer.timestamp(entry.at)
        writer.raw(",\"requestId\":"); writer.string(entry.requestId)
        writer.raw(",\"service\":"); writer.string(entry.service.rawValue)
        writer.raw(",\"counter\":"); writer.counter(entry.counter)
        writer.byte(UInt8(ascii: "}"))
    }

    static func readHistoryEntry(_ reader: inout JSONReader) throws(JSONReadError) -> CounterHistoryEntry {
        var at: Timestamp?, requestId: String?, service: ServiceName?, counter: OriginatorCounter?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "at": at = try reader.readTimestamp()
            case "requestId": requestId = try reader.readString()
            case "service": service = try reader.readEnum(ServiceName.self)
            case "counter": counter = try reader.readCounter()
            default: throw reader.unknownKey(key, in: "a counter history entry")
            }
        }
        let object = "a counter history entry"
        return CounterHistoryEntry(
            at: try reader.require(at, "at", in: object), requestId: try reader.require(requestId, "requestId", in: object),
            service: try reader.require(service, "service", in: object), counter: try reader.require(counter, "counter", in: object))
    }

    static func write(_ record: RequestRecord, to writer: inout JSONWriter) {
        writer.raw("{\"requestId\":"); writer.string(record.requestId)
        writer.raw(",\"service\":"); writer.string(record.service.rawValue)
        writer.raw(",\"device\":"); writer.eui64(record.device)
        writer.raw(",\"requester\":"); writer.string(record.requester)
        writer.raw(",\"originator\":"); writer.string(record.originator)
        writer.raw(",\"originatorCounter\":"); writer.counter(record.originatorCounter)
        writer.raw(",\"outcome\":"); writer.string(record.outcome.rawValue)
        writer.raw(",\"reason\":")
        if let reason = record.reason { writer.string(reason.rawValue) } else { writer.null() }
        writer.raw(",\"detail\":"); writer.string(record.detail)
        writer.raw(",\"recordedCounter\":"); writer.counter(record.recordedCounter)
        writer.raw(",\"deviceFloor\":"); writer.counter(record.deviceFloor)
        writer.raw(",\"generatedCounter\":"); writer.counter(record.generatedCounter)
        writer.raw(",\"storedCounter\":"); writer.counter(record.storedCounter)
        writer.raw(",\"legacyCounters\":")
        if let legacy = record.legacyCounters { writer.bool(legacy) } else { writer.null() }
        writer.raw(",\"certificates\":[")
        for (index, certificate) in record.certificates.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.string(certificate)
        }
        writer.raw("],\"at\":"); writer.timestamp(record.at)
        if let recovery = record.recovery {
            writer.raw(",\"recovery\":"); write(recovery, to: &writer)
        }
        // Last, and only when there is one: a record without it is written as before, so its audit hash stands.
        if let subject = record.operatorSubject {
            writer.raw(",\"operator\":"); writer.string(subject)
        }
        writer.byte(UInt8(ascii: "}"))
    }

    /// A Recovery Event's details: `{"reason","previousHolder","newFloor"}`.
    static func write(_ recovery: RecoveryDetails, to writer: inout JSONWriter) {
        writer.raw("{\"reason\":"); writer.string(recovery.reason)
        writer.raw(",\"previousHolder\":")
        if let holder = recovery.previousHolder { writer.string(holder) } else { writer.null() }
        writer.raw(",\"newFloor\":"); writer.counter(recovery.newFloor)
        writer.byte(UInt8(ascii: "}"))
    }

    static func readRecovery(_ reader: inout JSONReader) throws(JSONReadError) -> RecoveryDetails {
        var reason: String?, previousHolder: String?, newFloor: OriginatorCounter?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "reason": reason = try reader.readString()
            case "previousHolder": previousHolder = reader.readNullIfPresent() ? nil : try reader.readString()
            case "newFloor": newFloor = try reader.readCounter()
            default: throw reader.unknownKey(key, in: "a recovery")
            }
        }
        let object = "a recovery"
        return RecoveryDetails(reason: try reader.require(reason, "reason", in: object), previousHolder: previousHolder,
                               newFloor: try reader.require(newFloor, "newFloor", in: object))
    }

    static func readRequest(_ reader: inout JSONReader) throws(JSONReadError) -> RequestRecord {
        var requestId: String?, service: ServiceName?, device: EUI64?, requester: String?, originator: String?
        var originatorCounter: OriginatorCounter?, outcome: RequestOutcome?, reason: RejectionReason?, detail: String?
        var recordedCounter: OriginatorCounter?, deviceFloor: OriginatorCounter?, generatedCounter: OriginatorCounter?
        var storedCounter: OriginatorCounter?, legacyCounters: Bool?, certificates: [String]?, at: Timestamp?
        var recovery: RecoveryDetails?, operatorSubject: String?
        func optionalCounter(_ reader: inout JSONReader) throws(JSONReadError) -> OriginatorCounter? {
            reader.readNullIfPresent() ? nil : try reader.readCounter()
        }
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "requestId": requestId = try reader.readString()
            case "service": service = try reader.readEnum(ServiceName.self)
            case "device": device = try reader.readEUI64()
            case "requester": requester = try reader.readString()
            case "originator": originator = try reader.readString()
            case "originatorCounter": originatorCounter = try reader.readCounter()
            case "outcome": outcome = try reader.readEnum(RequestOutcome.self)
            case "reason": reason = reader.readNullIfPresent() ? nil : try reader.readEnum(RejectionReason.self)
            case "detail": detail = try reader.readString()
            case "recordedCounter": recordedCounter = try optionalCounter(&reader)
            case "deviceFloor": deviceFloor = try optionalCounter(&reader)
            case "generatedCounter": generatedCounter = try optionalCounter(&reader)
            case "storedCounter": storedCounter = try optionalCounter(&reader)
            case "legacyCounters": legacyCounters = reader.readNullIfPresent() ? nil : try reader.readBool()
            case "certificates":
                var list: [String] = []
                try reader.beginArray()
                while try reader.nextElement() { list.append(try reader.readString()) }
                certificates = list
            case "at": at = try reader.readTimestamp()
            case "recovery": recovery = reader.readNullIfPresent() ? nil : try readRecovery(&reader)
            case "operator": operatorSubject = try reader.readString()
            default: throw reader.unknownKey(key, in: "a request")
            }
        }
        let object = "a request"
        return RequestRecord(
            requestId: try reader.require(requestId, "requestId", in: object), service: try reader.require(service, "service", in: object),
            device: try reader.require(device, "device", in: object), requester: try reader.require(requester, "requester", in: object),
            originator: try reader.require(originator, "originator", in: object),
            originatorCounter: try reader.require(originatorCounter, "originatorCounter", in: object),
            outcome: try reader.require(outcome, "outcome", in: object), reason: reason,
            detail: try reader.require(detail, "detail", in: object), recordedCounter: recordedCounter, deviceFloor: deviceFloor,
            generatedCounter: generatedCounter, storedCounter: storedCounter, legacyCounters: legacyCounters,
            certificates: try reader.require(certificates, "certificates", in: object), at: try reader.require(at, "at", in: object),
            recovery: recovery, operatorSubject: operatorSubject)
    }

    /// The snapshot's compact form of a request: the object's values in the same order, as one
    /// array (sixteen values, and a seventeenth for a Recovery Event).
    static func writeCompact(_ record: RequestRecord, to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "[")); writer.string(record.requestId)
        writer.byte(UInt8(ascii: ",")); writer.string(record.service.rawValue)
        writer.byte(UInt8(ascii: ",")); writer.eui64(record.device)
        writer.byte(UInt8(ascii: ",")); writer.string(record.requester)
        writer.byte(UInt8(ascii: ",")); writer.string(record.originator)
        writer.byte(UInt8(ascii: ",")); writer.counter(record.originatorCounter)
        writer.byte(UInt8(ascii: ",")); writer.string(record.outcome.rawValue)
        writer.byte(UInt8(ascii: ","))
        if let reason = record.reason { writer.string(reason.rawValue) } else { writer.null() }
        writer.byte(UInt8(ascii: ",")); writer.string(record.detail)
        writer.byte(UInt8(ascii: ",")); writer.counter(record.recordedCounter)
        writer.byte(UInt8(ascii: ",")); writer.counter(record.deviceFloor)
        writer.byte(UInt8(ascii: ",")); writer.counter(record.generatedCounter)
        writer.byte(UInt8(ascii: ",")); writer.counter(record.storedCounter)
        writer.byte(UInt8(ascii: ","))
        if let legacy = record.legacyCounters { writer.bool(legacy) } else { writer.null() }
        writer.raw(",[")
        for (index, certificate) in record.certificates.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.string(certificate)
        }
        writer.raw("],"); writer.timestamp(record.at)
        if record.recovery != nil || record.operatorSubject != nil {
            writer.byte(UInt8(ascii: ","))
            if let recovery = record.recovery { write(recovery, to: &writer) } else { writer.null() }
        }
        if let subject = record.operatorSubject {
            writer.byte(UInt8(ascii: ",")); writer.string(subject)
        }
        writer.byte(UInt8(ascii: "]"))
    }

    static func readCompactRequest(_ reader: inout JSONReader) throws(JSONReadError) -> RequestRecord {
        try reader.beginArray()
        func field(_ reader: inout JSONReader, _ name: String) throws(JSONReadError) {
            guard try reader.nextElement() else { throw reader.error("a request row ends before its \(name)") }
        }
        func optionalCounter(_ reader: inout JSONReader, _ name: String) throws(JSONReadError) -> OriginatorCounter? {
            try field(&reader, name)
            return reader.readNullIfPresent() ? nil : try reader.readCounter()
        }
        try field(&reader, "requestId"); let requestId = try reader.readString()
        try field(&reader, "service"); let service = try reader.readEnum(ServiceName.self)
        try field(&reader, "device"); let device = try reader.readEUI64()
        try field(&reader, "requester"); let requester = try reader.readString()
        try field(&reader, "originator"); let originator = try reader.readString()
        try field(&reader, "originatorCounter"); let originatorCounter = try reader.readCounter()
        try field(&reader, "outcome"); let outcome = try reader.readEnum(RequestOutcome.self)
        try field(&reader, "reason"); let reason = reader.readNullIfPresent() ? nil : try reader.readEnum(RejectionReason.self)
        try field(&reader, "detail"); let detail = try reader.readString()
        let recordedCounter = try optionalCounter(&reader, "recordedCounter")
        let deviceFloor = try optionalCounter(&reader, "deviceFloor")
        let generatedCounter = try optionalCounter(&reader, "generatedCounter")
        let storedCounter = try optionalCounter(&reader, "storedCounter")
        try field(&reader, "legacyCounters"); let legacyCounters = reader.readNullIfPresent() ? nil : try reader.readBool()
        try field(&reader, "certificates")
        var certificates: [String] = []
        try reader.beginArray()
        while try reader.nextElement() { certificates.append(try reader.readString()) }
        try field(&reader, "at"); let at = try reader.readTimestamp()
        // A seventeenth field for a Recovery Event (else null when an eighteenth follows), an
        // eighteenth for a request an operator sent through the operator API.
        var recovery: RecoveryDetails?
        var operatorSubject: String?
        if try reader.nextElement() {
            recovery = reader.readNullIfPresent() ? nil : try readRecovery(&reader)
            if try reader.nextElement() {
                operatorSubject = try reader.readString()
                guard try !reader.nextElement() else { throw reader.error("a request row has more than eighteen fields") }
            }
        }
        return RequestRecord(
            requestId: requestId, service: service, device: device, requester: requester, originator: originator,
            originatorCounter: originatorCounter, outcome: outcome, reason: reason, detail: detail,
            recordedCounter: recordedCounter, deviceFloor: deviceFloor, generatedCounter: generatedCounter,
            storedCounter: storedCounter, legacyCounters: legacyCounters, certificates: certificates, at: at, recovery: recovery,
            operatorSubject: operatorSubject)
    }
}
