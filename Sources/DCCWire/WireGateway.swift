import AnchorCore
import Crypto
import GBCS
import SMKI

/// The engine's ``DeviceGateway`` in GBCS bytes: it encodes each logical command, has the
/// originator's Digital Signing key sign it, sends the bytes through a ``DeviceTransport`` and
/// verifies and decodes the answer. What the engine learns comes only from that verified answer.
public struct WireGateway<Transport: DeviceTransport>: DeviceGateway {
    /// The way to the devices.
    public private(set) var transport: Transport
    /// The DCC's own inventory: what it knows of a device without asking it.
    private let inventory: @Sendable (EUI64) -> DeviceInventoryEntry?
    /// Certificates (for the wire's replacement bytes and the response's key IDs) and signing keys.
    public let credentials: EstateCredentials
    /// Every command sent and its answer, in order.
    public private(set) var exchanges: [WireExchange] = []

    /// A gateway to the devices behind `transport`.
    /// - Parameters:
    ///   - inventory: the DCC's inventory entry for a device, or `nil` for a device it does not know.
    ///   - credentials: the certificates and the keys the DCC signs and checks with.
    public init(transport: Transport, inventory: @escaping @Sendable (EUI64) -> DeviceInventoryEntry?, credentials: EstateCredentials) {
        self.transport = transport
        self.inventory = inventory
        self.credentials = credentials
    }

    public func inventoryEntry(for id: EUI64) -> DeviceInventoryEntry? {
        inventory(id)
    }

    public mutating func deliver(_ command: UpdateSecurityCredentialsCommand) -> DeviceResponse? {
        let bytes = CommandWire.encode(command, credentials: credentials)
        // Once the token holding the DCC's keys has refused, a command may be unsigned or carry
        // a MAC of zeros: none is sent, and the caller records nothing (``TokenHeldKeys/refusal``).
        guard credentials.tokenHeldKeys?.refusal == nil else { return nil }
        let answer = transport.send(bytes)
        exchanges.append(WireExchange(command: bytes, response: answer))
        let devicePublicKey = credentials.deviceKeys.signingKey(for: command.recipient).publicKey
        return answer.map { CommandWire.interpret($0, answering: command, deviceKey: devicePublicKey, directory: credentials.directory) }
    }
}
