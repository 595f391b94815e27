/// The southbound side: where commands go and responses come from.
///
/// The engine learns about devices only through this protocol: inventory facts (no floors)
/// and the responses to what it sends. ``GPFSimulator`` implements it in AnchorDesk.
public protocol DeviceGateway {
    /// The inventory entry for a device, or `nil` if no such device is known.
    func inventoryEntry(for id: EUI64) -> DeviceInventoryEntry?

    /// Delivers a command and returns the device's answer, or `nil` if it did not answer.
    mutating func deliver(_ command: UpdateSecurityCredentialsCommand) -> DeviceResponse?
}
