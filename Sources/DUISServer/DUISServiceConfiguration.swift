import AnchorCore
import AnchorService
import AnchorStore
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
    /// The DSP's one clock: what requests and responses are stamped with.
    public var clock: ServiceClock

    /// A configuration.
    public init(
        storeDirectory: String, legacyCounters: Bool = false, respondTo: URL? = nil, lockTimeout: Duration = .seconds(5),
        clock: ServiceClock = .system
    ) {
        self.storeDirectory = storeDirectory
        self.legacyCounters = legacyCounters
        self.respondTo = respondTo
        self.lockTimeout = lockTimeout
        self.clock = clock
    }

    /// The clock's time as a date, for XML signatures and DUIS date-times.
    func date() -> Date {
        Date(timeIntervalSince1970: TimeInterval(clock.now().secondsSince1970))
    }

    /// The DSP's use cases over the store: the server decides nothing itself.
    var service: EstateService {
        EstateService(store: BackendEstateStore(DirectoryStore(directory: storeDirectory)), clock: clock,
                      settings: ServiceSettings(lockTimeout: lockTimeout))
    }
}
