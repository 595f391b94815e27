/// A future-dated command's outcome as a device reports it in a 0x8F66 or 0x8F67 alert,
/// after the alert's signature verified with the device's key.
public struct DeviceAlert: Hashable, Sendable {
    /// 0x8F66 (executed) rather than 0x8F67 (failed).
    public var executed: Bool
    /// When the device says it executed the command.
    public var executionTime: Timestamp?
    /// The entity the alert is addressed to: the scheduled command's originator.
    public var commandOriginator: EUI64
    /// The outcome: the command's counter, each replacement's status and the floors now held.
    public var outcome: CredentialsUpdateResponse

    /// Creates an alert.
    public init(executed: Bool, executionTime: Timestamp?, commandOriginator: EUI64, outcome: CredentialsUpdateResponse) {
        self.executed = executed
        self.executionTime = executionTime
        self.commandOriginator = commandOriginator
        self.outcome = outcome
    }
}

/// What the DCC makes of an alert's bytes.
public enum AlertDelivery: Hashable, Sendable {
    /// Signed by the device and readable as a CS02b future-dated alert.
    case verified(DeviceAlert)
    /// Anything else: nothing in it is believed.
    case unverified(String)
}
