import AnchorStore
import Foundation
import NIOConcurrencyHelpers
import PostgresNIO

/// Listens on `anchordesk_changes`, which every commit notifies with its last sequence, so a
/// console learns of another operator's request within moments without asking the database.
final class PostgresChangeListener: @unchecked Sendable {
    private let latest = NIOLockedValueBox("listening")
    private var task: Task<Void, Never>?

    init(location: PostgresLocation, environment: [String: String]) {
        let latest = latest
        task = Task.detached {
            while !Task.isCancelled {
                do {
                    let session = try PostgresSession.connect(to: location, environment: environment)
                    defer { session.close() }
                    let head = try PostgresHead.read(session)
                    latest.withLockedValue { $0 = String(head.lastSequence) }
                    let notifications = try await session.connection.listen("anchordesk_changes")
                    for try await notification in notifications {
                        latest.withLockedValue { $0 = notification.payload }
                    }
                } catch {
                    latest.withLockedValue { $0 = "unavailable" }
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// The last sequence announced (or read when listening began).
    var token: String { latest.withLockedValue { $0 } }

    deinit {
        task?.cancel()
    }
}
