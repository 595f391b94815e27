/// A future-dated command a device has accepted and holds until it falls due: the device's own
/// state, which the DCC never reads (it knows only what the device's answers and alerts say).
public struct PendingCommand: Hashable, Codable, Sendable {
    /// The command exactly as received (the `DD`-wrapped signed block).
    public var command: [UInt8]
    /// When the device executes it.
    public var dueAt: Timestamp

    /// Creates a pending command.
    public init(command: [UInt8], dueAt: Timestamp) {
        self.command = command
        self.dueAt = dueAt
    }

    /// Whether the device's clock has reached its execution time.
    public func isDue(at now: Timestamp) -> Bool { dueAt <= now }
}
