/// What came back from a device for a command.
public enum DeviceResponse: Hashable, Sendable {
    /// The device executed the command and answered with a CS02b response.
    case executed(CredentialsUpdateResponse)
    /// The device accepted the command without executing it (`commandAccepted`, no outcome): a
    /// future-dated command it will execute later, or a cancellation.
    case accepted
    /// The device refused the command before executing it.
    case refused(CommandRefusal)
    /// Something came back, but it is not a verified answer to this command: unsigned, signed
    /// with a key other than the device's, or unreadable. Nothing in it is believed.
    case unverified(String)
}

/// Why a device refused a command. *(model)* A real GPF raises an alert; AnchorDesk models it
/// as a refusal carrying the command's counter, and nothing of the device's floor.
public enum CommandRefusal: Hashable, Sendable {
    /// The counter was not strictly greater than the authorising role's floor.
    case antiReplay
    /// The authorising cell does not hold the originator's certificate, or the mode is not allowed.
    case authorisation
    /// The signature did not verify against the certificate in the authorising cell (or there was none).
    case authentication
    /// The device could not read the command.
    case malformed
    /// The command's MAC did not verify with the device's and the ACB's key-agreement keys.
    case integrity
}

/// A CS02b Update Security Credentials response.
public struct CredentialsUpdateResponse: Hashable, Sendable {
    /// The outcome of one replacement.
    public struct ReplacementResult: Hashable, Sendable {
        /// The cell the replacement targeted.
        public var targetCell: TrustAnchorCell
        /// The status code.
        public var status: CredentialsUpdateStatus
        /// The certificate the cell held before, if any.
        public var existing: CertificateSubject?
        /// The certificate offered as the replacement.
        public var replacing: CertificateSubject

        /// Creates a result.
        public init(
            targetCell: TrustAnchorCell, status: CredentialsUpdateStatus,
            existing: CertificateSubject?, replacing: CertificateSubject
        ) {
            self.targetCell = targetCell
            self.status = status
            self.existing = existing
            self.replacing = replacing
        }
    }

    /// The command's counter, echoed.
    public var originatorCounter: OriginatorCounter
    /// One result per replacement, in command order.
    public var results: [ReplacementResult]
    /// `remotePartySeqNumberChanges`: the floor the device now holds for each changed role.
    public var floorChanges: [OrganisationRole: OriginatorCounter]

    /// Creates a response.
    public init(
        originatorCounter: OriginatorCounter, results: [ReplacementResult],
        floorChanges: [OrganisationRole: OriginatorCounter]
    ) {
        self.originatorCounter = originatorCounter
        self.results = results
        self.floorChanges = floorChanges
    }

    /// The certificate a cell holds after this response, if the response says.
    public func holder(of cell: TrustAnchorCell) -> CertificateSubject? {
        results.last { $0.targetCell == cell && $0.status == .success }?.replacing
    }
}
