import AnchorCore
import AnchorStore

/// The DSP's use cases, written once: submit a request, bulk work with progress and
/// interruption, cease with hand-back, Recovery Events, due alerts. The CLI, the console and
/// the DUIS server only parse, call and present; none of them opens a store, runs the engine
/// or commits by itself.
///
/// The reports are pure functions in AnchorCore; the service reads the estate for them in
/// parts (``counterRisk(warn:_:)``, ``postCommissioning(asOf:warn:_:)``).
public struct EstateService: Sendable {
    /// Where the estate is kept.
    public let store: any EstateStore
    /// The one clock.
    public let clock: ServiceClock
    /// How it works.
    public let settings: ServiceSettings

    /// A service over `store`.
    public init(store: any EstateStore, clock: ServiceClock, settings: ServiceSettings) {
        self.store = store
        self.clock = clock
        self.settings = settings
    }

    /// Opens the store's writer. As every writer does first, it lets the devices' clocks reach
    /// now: due future-dated commands execute and their alerts are processed (``ServiceSession/openingAlerts``).
    /// - Parameters:
    ///   - processingDueAlerts: `false` only where the caller processes them itself, reporting as it goes.
    ///   - lockTimeout: how long to wait for another writer (default: the settings').
    /// - Throws: ``ServiceError/store(_:)`` when the store cannot be opened or the due alerts not made durable.
    public func openSession(processingDueAlerts: Bool = true, lockTimeout: Duration? = nil) throws(ServiceError) -> ServiceSession {
        let writer: any EstateWriter
        do {
            writer = try store.openWriter(lockTimeout: lockTimeout ?? settings.lockTimeout)
        } catch {
            throw .store(error)
        }
        let session = ServiceSession(writer: writer, service: self)
        if processingDueAlerts {
            do {
                session.openingAlerts = try session.deliverDueAlerts()
            } catch {
                session.close()
                throw error
            }
        }
        return session
    }

    /// Runs `body` in a session that is closed on every path.
    public func withSession<Value>(
        processingDueAlerts: Bool = true, _ body: (ServiceSession) throws(ServiceError) -> Value
    ) throws(ServiceError) -> Value {
        let session = try openSession(processingDueAlerts: processingDueAlerts)
        defer { session.close() }
        return try body(session)
    }
}
