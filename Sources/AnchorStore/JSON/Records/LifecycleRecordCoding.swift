import AnchorCore

/// The store's hand-written JSON for organisation lifecycle actions: the log entry (in the
/// snapshot's `lifecycle` list and in journal records) and the change a journal record carries.
enum LifecycleRecordCoding {
    /// `{"action","organisation","outcome","reason","detail","devicesHoldingCertificates","certificates","at"}`,
    /// and `"operator"` last for an action an operator asked for through the operator API.
    static func write(_ record: LifecycleRecord, to writer: inout JSONWriter) {
        writer.raw("{\"action\":"); writer.string(record.action.rawValue)
        writer.raw(",\"organisation\":"); writer.string(record.organisation)
        writer.raw(",\"outcome\":"); writer.string(record.outcome.rawValue)
        writer.raw(",\"reason\":")
        if let reason = record.reason { writer.string(reason.rawValue) } else { writer.null() }
        writer.raw(",\"detail\":"); writer.string(record.detail)
        writer.raw(",\"devicesHoldingCertificates\":"); writer.number(record.devicesHoldingCertificates)
        writer.raw(",\"certificates\":[")
        for (index, certificate) in record.certificates.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.string(certificate)
        }
        writer.raw("],\"at\":"); writer.timestamp(record.at)
        // Last, and only when there is one: a record without it is written as before, so its audit hash stands.
        if let subject = record.operatorSubject {
            writer.raw(",\"operator\":"); writer.string(subject)
        }
        writer.byte(UInt8(ascii: "}"))
    }

    static func readRecord(_ reader: inout JSONReader) throws(JSONReadError) -> LifecycleRecord {
        var action: OrganisationAction?, organisation: String?, outcome: RequestOutcome?, reason: LifecycleRefusal?
        var detail: String?, holding: Int?, certificates: [String]?, at: Timestamp?, operatorSubject: String?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "action": action = try reader.readEnum(OrganisationAction.self)
            case "organisation": organisation = try reader.readString()
            case "outcome": outcome = try reader.readEnum(RequestOutcome.self)
            case "reason": reason = reader.readNullIfPresent() ? nil : try reader.readEnum(LifecycleRefusal.self)
            case "detail": detail = try reader.readString()
            case "devicesHoldingCertificates": holding = try reader.readInt()
            case "certificates":
                var list: [String] = []
                try reader.beginArray()
                while try reader.nextElement() { list.append(try reader.readString()) }
                certificates = list
            case "at": at = try reader.readTimestamp()
            case "operator": operatorSubject = try reader.readString()
            default: throw reader.unknownKey(key, in: "a lifecycle record")
            }
        }
        let object = "a lifecycle record"
        return LifecycleRecord(
            action: try reader.require(action, "action", in: object), organisation: try reader.require(organisation, "organisation", in: object),
            outcome: try reader.require(outcome, "outcome", in: object), reason: reason,
            detail: try reader.require(detail, "detail", in: object),
            devicesHoldingCertificates: try reader.require(holding, "devicesHoldingCertificates", in: object),
            certificates: try reader.require(certificates, "certificates", in: object), at: try reader.require(at, "at", in: object),
            operatorSubject: operatorSubject)
    }

    /// `{"record":{...},"dccUser":b,"subscribed":b,"certificates":[{...}]}`, with `record` written from its bytes.
    static func writeChange(_ change: LifecycleChange, recordBytes: [UInt8], to writer: inout JSONWriter) {
        writer.raw("{\"record\":"); writer.append(encoded: recordBytes)
        writer.raw(",\"dccUser\":"); writer.bool(change.dccUser)
        writer.raw(",\"subscribed\":"); writer.bool(change.subscribed)
        writer.raw(",\"certificates\":[")
        for (index, certificate) in change.certificates.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            LedgerRecordCoding.write(certificate, to: &writer)
        }
        writer.raw("]}")
    }

    static func readChange(_ reader: inout JSONReader) throws(JSONReadError) -> LifecycleChange {
        var record: LifecycleRecord?, dccUser: Bool?, subscribed: Bool?, certificates: [Certificate] = []
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "record": record = try readRecord(&reader)
            case "dccUser": dccUser = try reader.readBool()
            case "subscribed": subscribed = try reader.readBool()
            case "certificates":
                try reader.beginArray()
                while try reader.nextElement() { certificates.append(try LedgerRecordCoding.readCertificate(&reader)) }
            default: throw reader.unknownKey(key, in: "a lifecycle change")
            }
        }
        let object = "a lifecycle change"
        return LifecycleChange(
            record: try reader.require(record, "record", in: object), dccUser: try reader.require(dccUser, "dccUser", in: object),
            subscribed: try reader.require(subscribed, "subscribed", in: object), certificates: certificates)
    }
}
