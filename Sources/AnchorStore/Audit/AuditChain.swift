import AnchorCore
import Crypto

/// How audit hashes are made.
///
/// `hash = SHA-256("anchordesk-audit-1\n" + sequence + "\n" + kind + "\n" + previousHash + "\n" + record)`,
/// where `record` is the canonical JSON of the log entry: the object form the journal writes
/// (``LedgerRecordCoding`` for requests, ``LifecycleRecordCoding`` for lifecycle actions), keys
/// in a fixed order, no whitespace. That form must not change for version 1: a new field in a
/// record needs a new version tag, or old entries would no longer verify.
public enum AuditChain {
    static let versionTag = "anchordesk-audit-1"

    /// The canonical JSON of a request log entry.
    static func canonical(_ record: RequestRecord) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 768)
        LedgerRecordCoding.write(record, to: &writer)
        return writer.bytes
    }

    /// The canonical JSON of a lifecycle log entry.
    static func canonical(_ record: LifecycleRecord) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 512)
        LifecycleRecordCoding.write(record, to: &writer)
        return writer.bytes
    }

    /// The hash of one entry.
    static func hash(sequence: UInt64, kind: AuditEntry.Kind, previous: AuditHash, canonical: [UInt8]) -> AuditHash {
        var hasher = SHA256()
        hasher.update(data: Array("\(versionTag)\n\(sequence)\n\(kind.rawValue)\n\(previous)\n".utf8))
        hasher.update(data: canonical)
        return AuditHash(bytes: Array(hasher.finalize()))
    }
}
