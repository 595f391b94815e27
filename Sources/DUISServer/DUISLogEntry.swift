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
    /// The operator (its client certificate's subject) that sent it through the operator API.
    public var operatorSubject: String?

    /// An entry.
    public init(time: Date, endpoint: String? = nil, requestID: String? = nil, code: String? = nil, note: String, operatorSubject: String? = nil) {
        self.time = time
        self.endpoint = endpoint
        self.requestID = requestID
        self.code = code
        self.note = note
        self.operatorSubject = operatorSubject
    }

    /// The entry as one line of text.
    public var line: String {
        let stamp = ISO8601DateFormatter().string(from: time)
        let caller = operatorSubject.map { "operator '\(DUISRequest.shown($0, limit: 400))' " } ?? ""
        guard let endpoint, let requestID, let code else { return "\(stamp) \(caller)\(note)" }
        return "\(stamp) \(caller)\(endpoint) \(requestID) \(code) \(note)"
    }
}
