import DUISServer
import Foundation
import OperatorClient

/// The DSP's change token as it announces it: a thread of its own asks `…/changes` again as soon
/// as each answer arrives, and the DSP answers when any writer commits (or after about 20
/// seconds), so a console sees another operator's request within moments and never polls the
/// estate. While the DSP cannot be reached it tries again every two seconds.
final class RemoteChangeWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var current = ""

    /// Starts watching.
    init(connection: OperatorConnection) {
        let thread = Thread { [self] in watch(connection) }
        thread.name = "anchordesk.operator-changes"
        thread.start()
    }

    /// The last token the DSP announced (empty before its first answer).
    var token: String { lock.withLock { current } }

    private func watch(_ connection: OperatorConnection) {
        while true {
            var components = URLComponents()
            components.queryItems = [URLQueryItem(name: "after", value: token)]
            do throws(CLIFailure) {
                let change: OperatorReplies.Change = try OperatorCall.json(
                    connection.get(OperatorAPIPath.changes + "?" + (components.percentEncodedQuery ?? "")), from: connection)
                lock.withLock { current = change.token }
            } catch {
                Thread.sleep(forTimeInterval: 2)
            }
        }
    }
}
