import AnchorCore
import GBCS
import SMKI

/// The DCC's Transform Service (DUIS CommandVariant 4): the engine decides a User's request
/// exactly as it would to send it, and the command it would send comes back unsigned, as the
/// pre-command the User signs. Nothing reaches a device and nothing changes.
public struct PreCommandTransform: Sendable {
    /// The engine's decision; a refusal is in its request record.
    public var decision: LedgerChange
    /// The command the engine would send, when it would send one.
    public var command: UpdateSecurityCredentialsCommand?
    /// That command's general signing block without a signature: its `encoded` bytes are the pre-command.
    public var preCommand: GeneralSigningBlock?
}

extension Estate {
    /// What the engine would send for `request`, as a pre-command, without sending it.
    /// - Throws: ``RequestError`` for bad input.
    public func transform(_ request: ServiceRequest, now: Timestamp, directory: CertificateDirectory) throws(RequestError) -> PreCommandTransform {
        var gateway = CapturingGateway(devices: devices)
        let decision = try RequestEngine.process(request, ledger: ledger, gateway: &gateway, now: now)
        return PreCommandTransform(
            decision: decision, command: gateway.captured,
            preCommand: gateway.captured.map { CommandWire.unsignedBlock($0, directory: directory) })
    }
}

/// A gateway that keeps the command it is given and delivers nothing.
private struct CapturingGateway: DeviceGateway {
    let devices: DeviceTable
    var captured: UpdateSecurityCredentialsCommand?

    func inventoryEntry(for id: EUI64) -> DeviceInventoryEntry? {
        devices[id]?.inventoryEntry
    }

    mutating func deliver(_ command: UpdateSecurityCredentialsCommand) -> DeviceResponse? {
        captured = command
        return nil
    }
}
