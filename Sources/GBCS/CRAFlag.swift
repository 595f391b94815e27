/// The CRA flag of a GBCS general signing block: what kind of message it is.
public enum CRAFlag: UInt8, Sendable, CaseIterable {
    case command = 1
    case response = 2
    case alert = 3

    /// `command`, `response` or `alert`, as the contract writes it.
    public var name: String {
        switch self {
        case .command: "command"
        case .response: "response"
        case .alert: "alert"
        }
    }
}
