import AnchorCore
import Crypto

/// How audit hashes are made.
///
/// `hash = SHA-256("anchordesk-audit-1\n" + sequence + "\n" + kind + "\n" + previousHash + "\n" + record)`,
/// where `record` is the canonical JSON of the log entry: the object form the journal writes
/// (``LedgerRecordCoding`` for requests, ``LifecycleRecordCoding`` for lifecycle actions,
/// ``ScheduleRecordCoding`` for schedule steps and arrived alerts), keys
/// in a fixed order, no whitespace. That form must not change for version 1: a new field in a
/// record needs a new version tag, or old entries would no longer verify.
public enum AuditChain {
    static let versionTag = "anchordesk-audit-1"

    /// The canonical JSON of a request log entry.
    static func canonical(_ record: RequestRecord) -> [UInt8] {
        written(reserving: 768) { LedgerRecordCoding.write(record, to: &$0) }
    }

    /// The canonical JSON of a lifecycle log entry.
    static func canonical(_ record: LifecycleRecord) -> [UInt8] {
        written(reserving: 512) { LifecycleRecordCoding.write(record, to: &$0) }
    }

    /// The canonical JSON of a schedule log entry.
    static func canonical(_ record: ScheduleRecord) -> [UInt8] {
        written(reserving: 512) { ScheduleRecordCoding.write(record, to: &$0) }
    }

    /// The canonical JSON of an arrived alert.
    static func canonical(_ alert: ReceivedAlert) -> [UInt8] {
        written(reserving: 1024) { ScheduleRecordCoding.write(alert, to: &$0) }
    }

    /// The bytes `write` puts in a new writer.
    private static func written(reserving capacity: Int, _ write: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: capacity)
        write(&writer)
        return writer.bytes
    }

    /// The canonical JSON of the row an entry names in the ledger's logs, or `nil` if there is no such row.
    static func canonical(_ kind: AuditEntry.Kind, position: Int, in ledger: Ledger) -> [UInt8]? {
        guard position >= 0 else { return nil }
        switch kind {
        case .request: return position < ledger.requests.count ? canonical(ledger.requests[position]) : nil
        case .lifecycle: return position < ledger.lifecycle.count ? canonical(ledger.lifecycle[position]) : nil
        case .schedule: return position < ledger.schedule.count ? canonical(ledger.schedule[position]) : nil
        case .alert: return position < ledger.alerts.count ? canonical(ledger.alerts[position]) : nil
        }
    }

    /// How many rows a ledger's log of this kind holds.
    static func rows(_ kind: AuditEntry.Kind, in ledger: Ledger) -> Int {
        switch kind {
        case .request: ledger.requests.count
        case .lifecycle: ledger.lifecycle.count
        case .schedule: ledger.schedule.count
        case .alert: ledger.alerts.count
        }
    }

    /// The canonical JSON of the log entry a journal record makes, and its kind.
    static func entry(for content: JournalContent) -> (kind: AuditEntry.Kind, canonical: [UInt8]) {
        let bytes = switch content {
        case .request(let change): canonical(change.ledger.request)
        case .lifecycle(let change): canonical(change.record)
        case .alertArrival(let arrival): canonical(arrival.alert)
        case .schedule(let change): canonical(change.record)
        }
        return (content.kind, bytes)
    }

    /// The hash of one entry.
    static func hash(sequence: UInt64, kind: AuditEntry.Kind, previous: AuditHash, canonical: [UInt8]) -> AuditHash {
        var hasher = SHA256()
        hasher.update(data: Array("\(versionTag)\n\(sequence)\n\(kind.rawValue)\n\(previous)\n".utf8))
        hasher.update(data: canonical)
        return AuditHash(bytes: Array(hasher.finalize()))
    }
}
