/// A Recovery Event on one GPF: the SMKI Recovery key replaces the certificates in its
/// Network Operator cells (CS02b `anyExceptAbnormalRootByRecovery`) and sets the NO floor.
public struct RecoveryRequest: Hashable, Sendable {
    /// The target device.
    public var device: EUI64
    /// Replacement certificate IDs; each goes into the NO cell of its key usage.
    public var replacementCertificates: [String]
    /// The NO floor the device takes afterwards (`newRemotePartyFloorSeqNumber`).
    public var newFloor: OriginatorCounter
    /// Why the operator runs this exceptional action; kept in the log.
    public var reason: String

    /// Creates the request.
    public init(device: EUI64, replacementCertificates: [String], newFloor: OriginatorCounter, reason: String) {
        self.device = device
        self.replacementCertificates = replacementCertificates
        self.newFloor = newFloor
        self.reason = reason
    }
}
