import DUIS
import Foundation

/// One line of the server's log: a request and what it came to, or a note about deliveries.
public struct DUISLogEntry: Sendable {
    /// When.
    public var time: Date
    /// The endpoint, for a request.
    public var endpoint: String?
    /// The Request ID as sent (control characters removed), for a request.
    public var requestID: String?
    /// The DUIS code or HTTP status, for a request.
    public var code: String?
    /// Why, in a sentence.
    public var note: String

    /// The entry as one line of text.
    public var line: String {
        let stamp = ISO8601DateFormatter().string(from: time)
        guard let endpoint, let requestID, let code else { return "\(stamp) \(note)" }
        return "\(stamp) \(endpoint) \(requestID) \(code) \(note)"
    }
}
