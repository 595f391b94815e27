import AnchorCore
import Foundation

/// How a DUIS server acts on its store.
public struct DUISServiceConfiguration: Sendable {
    /// The store directory: the same store the console and CLI use.
    public var storeDirectory: String
    /// Generate SRV6.21 counters without the recorded-counter rule (the behaviour before SECMP0128A).
    public var legacyCounters: Bool
    /// The User's Receive Response Service address; `nil` keeps device responses in the outbox.
    public var respondTo: URL?
    /// How long a request waits for another writer's store lock.
    public var lockTimeout: Duration
    /// The time to stamp on requests and responses.
    public var clock: @Sendable () -> Date

    /// A configuration.
    public init(
        storeDirectory: String, legacyCounters: Bool = false, respondTo: URL? = nil, lockTimeout: Duration = .seconds(5),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.storeDirectory = storeDirectory
        self.legacyCounters = legacyCounters
        self.respondTo = respondTo
        self.lockTimeout = lockTimeout
        self.clock = clock
    }

    /// The clock as the engine's timestamp.
    var now: Timestamp {
        Timestamp(secondsSince1970: Int64(clock().timeIntervalSince1970))
    }
}
