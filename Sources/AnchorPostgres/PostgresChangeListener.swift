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
        // Async all the way: this task runs on Swift's cooperative pool, where blocking a
        // thread (as ``PostgresSession`` does for synchronous callers) could starve it.
        task = Task.detached {
            while !Task.isCancelled {
                var connection: PostgresConnection?
                do {
                    let configuration = try PostgresSession.configuration(for: location, environment: environment)
                    let opened = try await PostgresConnection.connect(configuration: configuration, id: 2, logger: PostgresSession.logger)
                    connection = opened
                    for try await last in try await opened.query("select last_sequence::text from anchordesk.head", logger: PostgresSession.logger)
                        .decode(String.self) {
                        latest.withLockedValue { $0 = last }
                    }
                    for try await notification in try await opened.listen("anchordesk_changes") {
                        latest.withLockedValue { $0 = notification.payload }
                    }
                } catch {
                    latest.withLockedValue { $0 = "unavailable" }
                }
                try? await connection?.close()
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
