/// What became of a processed request.
public enum RequestOutcome: String, Codable, Sendable {
    case succeeded
    case rejected
    /// A future-dated SRV6.15.1 the device accepted and will execute at its execution time; its
    /// alert says how that went.
    case scheduled
}
