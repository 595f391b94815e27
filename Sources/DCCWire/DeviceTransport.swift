/// Where the DCC's commands go, as bytes, and where the devices' answers come from: the only
/// way the DCC side reaches a device.
///
/// ``WireGateway`` signs, MACs and encodes each command, hands the bytes to a transport and
/// verifies whatever comes back; it learns nothing else. The simulated GPFs are one transport
/// (`GPFSimulator`); a test double that replays, forges or drops answers is another.
public protocol DeviceTransport {
    /// Delivers a command's bytes to the device they address.
    /// - Returns: the answer's bytes, or `nil` when nothing answered.
    mutating func send(_ command: [UInt8]) -> [UInt8]?
}
