import AnchorCore

/// A record decided by a writer that holds only part of the estate: its content without a
/// sequence or an audit link, which the database gives it when it commits (the writers of a
/// shared database decide side by side; their records take their places in the one chain only
/// as each commits).
///
/// Its ``payload(sequence:previous:)`` is byte for byte the journal record a store directory
/// would write, so the audit chain, its export and `audit verify` are the same on both backends.
public struct UnsequencedRecord: Sendable, Equatable {
    /// The kind of log entry it makes (`request`, `lifecycle`, `alert`, `schedule`).
    public let kind: String
    /// The canonical JSON of its log entry: what the audit hash covers.
    public let canonical: [UInt8]
    /// The record's content: `"change":{...}`, `"lifecycle":{...}`, `"alert":{...}` or `"schedule":{...}`.
    public let body: [UInt8]
    /// The device it is about, if any.
    public let device: EUI64?

    private init(_ content: JournalContent) {
        let body = ChangeRecordCoding.body(of: content)
        kind = body.kind.rawValue
        canonical = body.canonical
        self.body = body.bytes
        device = switch content {
        case .request(let change): change.ledger.request.device
        case .lifecycle: nil
        case .alertArrival(let arrival): arrival.alert.device
        case .schedule(let change): change.record.device
        }
    }

    /// The records a processed request makes: the request, then (for a future-dated command or
    /// a cancellation) the device's acknowledgement.
    public static func records(for change: EstateChange) -> [UnsequencedRecord] {
        JournalContent.records(for: change).map(UnsequencedRecord.init)
    }

    /// The record of an alert's arrival.
    public init(_ arrival: AlertArrival) { self.init(.alertArrival(arrival)) }

    /// The record of a processed alert.
    public init(_ change: ScheduleChange) { self.init(.schedule(change)) }

    /// The record of a lifecycle action.
    public init(_ change: LifecycleChange) { self.init(.lifecycle(change)) }

    /// The journal record it becomes at `sequence` after an entry whose hash is `previous`.
    public func payload(sequence: UInt64, previous: AuditHash) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: body.count + 192)
        writer.raw("{\"sequence\":"); writer.decimalString(sequence)
        writer.byte(UInt8(ascii: ","))
        writer.append(encoded: body)
        writer.raw(",\"audit\":{\"previousHash\":"); writer.string(previous.description)
        writer.raw(",\"hash\":"); writer.string(hash(sequence: sequence, previous: previous).description)
        writer.raw("}}")
        return writer.bytes
    }

    /// Its audit hash at `sequence` after `previous`.
    public func hash(sequence: UInt64, previous: AuditHash) -> AuditHash {
        AuditChain.hash(sequence: sequence, kind: AuditEntry.Kind(rawValue: kind) ?? .request, previous: previous, canonical: canonical)
    }
}
