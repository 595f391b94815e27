/// Why `serve` could not start.
public enum DUISServerError: Error, CustomStringConvertible {
    /// Another server holds the store's outbox.
    case alreadyServing(String)
    /// The address cannot be listened on.
    case cannotListen(String, String)
    /// A TLS file of the operator API cannot be used: the option and why (never the file's bytes).
    case unusableTLS(String)

    public var description: String {
        switch self {
        case .alreadyServing(let detail): "another 'anchordesk serve' is running on this store (\(detail)); one server per store delivers its responses"
        case .cannotListen(let address, let why): "cannot listen on \(address): \(why)"
        case .unusableTLS(let why): why
        }
    }
}
