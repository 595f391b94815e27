/// Whether a processed request succeeded.
public enum RequestOutcome: String, Codable, Sendable {
    case succeeded
    case rejected
}
