/// A lock timeout as PostgreSQL's `lock_timeout` takes it: whole milliseconds, at least one
/// (zero would mean wait for ever) and at most the setting's largest, 2,147,483,647.
enum PostgresLockTimeout {
    static func milliseconds(_ timeout: Duration) -> Int {
        let (seconds, attoseconds) = timeout.components
        guard seconds < 2_147_483 else { return 2_147_483_647 }
        return min(2_147_483_647, max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)))
    }
}
