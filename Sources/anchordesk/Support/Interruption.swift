import Foundation
import Synchronization

/// Ctrl-C as a request to stop at the next safe point, rather than at once.
struct Interruption {
    private static let flag = Atomic<Bool>(false)

    /// Catches SIGINT and SIGTERM until ``remove()``.
    static func install() -> Interruption {
        flag.store(false, ordering: .relaxed)
        // A parent may have left these blocked in the mask we inherited; Ctrl-C must still reach us.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        signal(SIGINT) { _ in Interruption.flag.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in Interruption.flag.store(true, ordering: .relaxed) }
        return Interruption()
    }

    /// Whether the user asked to stop.
    var requested: Bool { Interruption.flag.load(ordering: .relaxed) }

    /// Restores the default handlers.
    func remove() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
