import AnchorCore

/// The device's anti-replay rule: a counter must be strictly greater than the floor of the
/// role whose cell authorises the command.
enum AntiReplay {
    /// Whether a command with this counter may run against this floor.
    static func accepts(_ counter: OriginatorCounter, floor: OriginatorCounter) -> Bool {
        counter > floor
    }
}
