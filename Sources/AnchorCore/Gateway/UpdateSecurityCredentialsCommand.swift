/// A CS02b Update Security Credentials command, as the device receives it.
public struct UpdateSecurityCredentialsCommand: Hashable, Sendable {
    /// One certificate and the cell it goes into.
    public struct Replacement: Hashable, Sendable {
        /// The replacement certificate.
        public var certificate: CertificateSubject
        /// The target Trust Anchor Cell.
        public var targetCell: TrustAnchorCell

        /// Creates a replacement.
        public init(certificate: CertificateSubject, targetCell: TrustAnchorCell) {
            self.certificate = certificate
            self.targetCell = targetCell
        }
    }

    /// The signer's entity ID.
    public var originator: EUI64
    /// The device's ID.
    public var recipient: EUI64
    /// The Originator Counter in the general signing block; also `authorisingRemotePartySeqNumber`.
    public var originatorCounter: OriginatorCounter
    /// Who replaces whose credentials.
    public var mode: ReplacementMode
    /// `newRemotePartyFloorSeqNumber`: the floor the replaced role gets after success.
    public var newFloor: OriginatorCounter
    /// The replacements, in order.
    public var replacements: [Replacement]
    /// When the device is to execute it (`executionDateTime`).
    public var execution: CommandExecution
    /// Certificates the command carries for the device to check the replacements' path, and
    /// whether it applies the time-based checks: as a User asked for them in DUIS.
    public var pathOptions: CertificationPathOptions

    /// Creates a command.
    public init(
        originator: EUI64, recipient: EUI64, originatorCounter: OriginatorCounter,
        mode: ReplacementMode, newFloor: OriginatorCounter, replacements: [Replacement], execution: CommandExecution = .immediate,
        pathOptions: CertificationPathOptions = CertificationPathOptions()
    ) {
        self.originator = originator
        self.recipient = recipient
        self.originatorCounter = originatorCounter
        self.mode = mode
        self.newFloor = newFloor
        self.replacements = replacements
        self.execution = execution
        self.pathOptions = pathOptions
    }
}
