import AnchorCore
import Synchronization

/// A bounded, thread-safe memo by device ID, for key material that is costly to compute (P-256
/// point multiplications) and never changes for a device: it lets a bulk run do that work ahead
/// on another core. Forgetting an entry costs only time; at `limit` entries it starts afresh.
public final class MemoTable<Value: Sendable>: Sendable {
    private let entries = Mutex<[EUI64: Value]>([:])
    private let limit: Int

    /// A table holding at most `limit` entries.
    public init(limit: Int = 250_000) {
        self.limit = limit
    }

    /// The value for `id`, computed with `make` (outside the lock) when not known yet.
    public func value(for id: EUI64, _ make: () -> Value) -> Value {
        if let known = self[id] { return known }
        let made = make()
        self[id] = made
        return made
    }

    /// The value kept for `id`, if any; setting keeps one.
    public subscript(id: EUI64) -> Value? {
        get { entries.withLock { $0[id] } }
        set {
            entries.withLock { table in
                if table.count >= limit { table.removeAll(keepingCapacity: true) }
                table[id] = newValue
            }
        }
    }
}
