/// A device alert as it arrived at the DCC, kept byte for byte so that it is processed exactly
/// once: it is made durable on arrival, and processing it later is a separate, durable step.
public struct ReceivedAlert: Hashable, Codable, Sendable {
    /// The device that sent it (the alert's originator).
    public var device: EUI64
    /// The alert's own Originator Counter: with the device, what makes it unique.
    public var alertCounter: OriginatorCounter
    /// The alert's bytes as received.
    public var bytes: [UInt8]
    /// When it arrived.
    public var receivedAt: Timestamp

    /// Creates a received alert.
    public init(device: EUI64, alertCounter: OriginatorCounter, bytes: [UInt8], receivedAt: Timestamp) {
        self.device = device
        self.alertCounter = alertCounter
        self.bytes = bytes
        self.receivedAt = receivedAt
    }

    /// `device:alertCounter`, the key under which it is processed once.
    public var key: String { "\(device):\(alertCounter)" }
}
