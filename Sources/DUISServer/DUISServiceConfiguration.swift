import AnchorCore
import AnchorService
import AnchorStore
import Foundation
import SMKI

/// How a DUIS server acts on its store.
public struct DUISServiceConfiguration: Sendable {
    /// The local directory: the store directory itself, or, for a database, this machine's
    /// directory (the DCC's keys, and this server's outbox).
    public var storeDirectory: String
    /// How the use cases reach the store (for a database: deciding per device); `nil`: the
    /// store directory at ``storeDirectory``.
    public var estateStore: (any EstateStore)?
    /// Generate SRV6.21 counters without the recorded-counter rule (the behaviour before SECMP0128A).
    public var legacyCounters: Bool
    /// The User's Receive Response Service address; `nil` keeps device responses in the outbox.
    public var respondTo: URL?
    /// How long a request waits for another writer's store lock.
    public var lockTimeout: Duration
    /// The PKCS#11 token holding the DCC's keys, if one does.
    public var keyToken: PKCS11Settings?
    /// The DSP's one clock: what requests and responses are stamped with.
    public var clock: ServiceClock
    /// Keep the store open for writing from the first request until the server stops, rather
    /// than letting it go after ``DUISService/idleClose`` without a request (`serve --hold-store`).
    public var holdsStore: Bool
    /// The most rows a report read through the operator API carries: a larger one is refused
    /// (run it at the DSP), so an operator's report never holds a whole estate's rows in memory.
    public var operatorReportRows = 100_000
    /// The most devices a bulk run through the operator API may select: a filter matching more
    /// is refused before they are read (narrow it, or run the bulk at the DSP).
    public var operatorBulkDevices = 1_000_000

    /// A configuration.
    public init(
        storeDirectory: String, estateStore: (any EstateStore)? = nil, legacyCounters: Bool = false, respondTo: URL? = nil,
        lockTimeout: Duration = .seconds(5), keyToken: PKCS11Settings? = nil, clock: ServiceClock = .system, holdsStore: Bool = false
    ) {
        self.holdsStore = holdsStore
        self.keyToken = keyToken
        self.storeDirectory = storeDirectory
        self.estateStore = estateStore
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
        EstateService(store: estateStore ?? BackendEstateStore(DirectoryStore(directory: storeDirectory)), clock: clock,
                      settings: ServiceSettings(keyToken: keyToken, lockTimeout: lockTimeout))
    }
}
