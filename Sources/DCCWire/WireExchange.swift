/// One command and its answer as bytes, for `--show-wire`.
public struct WireExchange: Equatable, Sendable {
    /// The command as sent (the `DD`-wrapped signed block).
    public var command: [UInt8]
    /// The device's answer, or `nil` if it did not answer.
    public var response: [UInt8]?

    /// Creates an exchange.
    public init(command: [UInt8], response: [UInt8]?) {
        self.command = command
        self.response = response
    }
}
