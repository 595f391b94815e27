/// Everything one lifecycle action changes in the ``Ledger``: one journal record's worth.
public struct LifecycleChange: Hashable, Sendable {
    /// The lifecycle log entry; its `organisation` names whose state this is.
    public var record: LifecycleRecord
    /// The organisation's DCC User status afterwards.
    public var dccUser: Bool
    /// The organisation's subscription afterwards.
    public var subscribed: Bool
    /// Certificates as they are afterwards: new ones are added, known ones replaced.
    public var certificates: [Certificate]

    /// Creates a change.
    public init(record: LifecycleRecord, dccUser: Bool, subscribed: Bool, certificates: [Certificate]) {
        self.record = record
        self.dccUser = dccUser
        self.subscribed = subscribed
        self.certificates = certificates
    }
}

extension Estate {
    /// Applies a committed lifecycle action; the same call serves live use and journal replay.
    public mutating func apply(_ change: LifecycleChange) {
        ledger.apply(change)
    }
}
