/// A request AnchorDesk answers with an error code: the code and why, in one sentence.
public struct DUISRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The DUIS response code.
    public var code: DUISResponseCode
    /// Why, for the server's log.
    public var reason: String

    /// A refusal.
    public init(_ code: DUISResponseCode, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
