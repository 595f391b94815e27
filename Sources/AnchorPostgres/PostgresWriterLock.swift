import AnchorStore
import Foundation

/// The database's one writer lock: a session-level advisory lock, held from a writer's open to
/// its close, so that every writer decides on the newest state. The server frees it when the
/// writer's connection ends, however it ends.
enum PostgresWriterLock {
    /// Takes the lock, polling until `timeout` passes.
    /// - Throws: `.locked` naming how long it waited.
    static func acquire(_ session: PostgresSession, timeout: Duration) throws(StoreError) {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try session.value("select pg_try_advisory_lock(\(PostgresSchema.writerLockKey))", as: Bool.self) == true { return }
            guard ContinuousClock.now < deadline else {
                throw StoreError(code: .locked,
                                 message: "another operator is writing to this store (the database's writer lock is held); try again, or wait longer with ANCHORDESK_LOCK_TIMEOUT",
                                 path: session.location.shown)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}
