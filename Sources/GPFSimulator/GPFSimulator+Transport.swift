import AnchorCore
import DCCWire
import SMKI

/// The simulated GPFs as the DCC reaches them: bytes in, bytes out.
extension GPFSimulator: DeviceTransport {
    public mutating func send(_ command: [UInt8]) -> [UInt8]? {
        receive(command)
    }
}

extension WireGateway where Transport == GPFSimulator {
    /// A gateway to simulated devices, the DCC's inventory being what it knows of those devices
    /// (their type, Supplier and commissioning date; never their cells or floors).
    public init(simulator: GPFSimulator, credentials: EstateCredentials) {
        let devices = simulator.devices
        self.init(transport: simulator, inventory: { devices[$0]?.inventoryEntry }, credentials: credentials)
    }

    /// The simulated devices, as the commands left them.
    public var simulator: GPFSimulator { transport }
}
