import Foundation

/// The store's slow work (loads, requests, jobs, the audit check), run off the console's input
/// loop one piece at a time; each result comes back as a ``Message``, as bubbletea's commands do.
/// While it works, the runtime still reads keys, draws, and ages the status line.
final class EffectWorker<Service: StoreService>: @unchecked Sendable {
    private let service: Service
    private let queue = DispatchQueue(label: "anchordesk.console.store")
    private let lock = NSLock()
    private let arrived = DispatchSemaphore(value: 0)
    private var results: [Message] = []
    private var running = 0
    /// How many pieces of work were asked for, and how many of those (the first ones) were asked to stop.
    private var asked = 0
    private var stoppedThrough = 0

    init(_ service: Service) {
        self.service = service
    }

    /// Runs `work` on the worker's thread after what was asked before it. `work` posts its
    /// results (progress, then the outcome) and asks, between groups of a job, whether the
    /// operator asked it to stop. A stop holds for the work asked for before it, and for no
    /// work asked for after.
    func run(_ work: @escaping @Sendable (Service, _ post: (Message) -> Void, _ stopRequested: () -> Bool) -> Void) {
        let number = lock.withLock {
            running += 1
            asked += 1
            return asked
        }
        queue.async { [self] in
            work(service, { message in
                lock.withLock { results.append(message) }
                arrived.signal()
            }, { lock.withLock { number <= stoppedThrough } })
            lock.withLock { running -= 1 }
            arrived.signal()
        }
    }

    /// Whether work is asked for or under way.
    var isBusy: Bool { lock.withLock { running > 0 } }

    /// The results posted since the last call, oldest first.
    func take() -> [Message] {
        lock.withLock {
            defer { results.removeAll() }
            return results
        }
    }

    /// Waits up to `milliseconds` for a result or for the work to end.
    func wait(milliseconds: Int) {
        _ = arrived.wait(timeout: .now() + .milliseconds(milliseconds))
    }

    /// Asks the running job (and any work asked for before now) to stop after its current group.
    func requestStop() {
        lock.withLock { stoppedThrough = asked }
    }
}
