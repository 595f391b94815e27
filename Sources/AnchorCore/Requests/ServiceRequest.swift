/// A Service Request as a user submits it, before any checks.
public enum ServiceRequest: Hashable, Sendable {
    /// SRV6.15.1 into a GPF's Network Operator cells.
    case updateSecurityCredentials(UpdateSecurityCredentialsRequest)
    /// SRV6.21 placing a GNO's certificates into a GPF's Network Operator cells.
    case requestHandover(HandoverRequest)
    /// A Recovery Event on one GPF's Network Operator cells.
    case recovery(RecoveryRequest)
}

/// SRV6.15.1 Update Security Credentials (KRP) into the Network Operator cells.
public struct UpdateSecurityCredentialsRequest: Hashable, Sendable {
    /// The sending organisation's ID.
    public var sender: String
    /// The target device.
    public var device: EUI64
    /// Replacement certificate IDs; each goes into the NO cell of its key usage.
    public var replacementCertificates: [String]
    /// The Originator Counter the user chose; `nil` means the sender's next counter.
    public var counter: OriginatorCounter?
    /// `newRemotePartyFloorSeqNumber`; `nil` means the command's own counter.
    public var newFloor: OriginatorCounter?
    /// Now, at a future time, or a cancellation of the command the device holds.
    public var execution: CommandExecution
    /// Path certificates and the time-based checks flag to put in the command.
    public var pathOptions: CertificationPathOptions

    /// Creates the request.
    public init(
        sender: String, device: EUI64, replacementCertificates: [String],
        counter: OriginatorCounter? = nil, newFloor: OriginatorCounter? = nil, execution: CommandExecution = .immediate,
        pathOptions: CertificationPathOptions = CertificationPathOptions()
    ) {
        self.sender = sender
        self.device = device
        self.replacementCertificates = replacementCertificates
        self.counter = counter
        self.newFloor = newFloor
        self.execution = execution
        self.pathOptions = pathOptions
    }
}

/// SRV6.21 Request Handover of DCC Controlled Device, placing a GNO's certificates.
public struct HandoverRequest: Hashable, Sendable {
    /// The requesting Supplier's organisation ID.
    public var supplier: String
    /// The target device.
    public var device: EUI64
    /// The incoming GNO's organisation ID.
    public var networkOperator: String
    /// Generate the counter without the recorded-counter rule (the behaviour before this change).
    public var legacyCounters: Bool
    /// The counter of the Supplier's Request ID, when the Supplier chose it (DUIS); `nil` means its next.
    public var requestCounter: OriginatorCounter?
    /// Path certificates and the time-based checks flag for the ACB's command, as the Supplier asked.
    public var pathOptions: CertificationPathOptions

    /// Creates the request.
    public init(
        supplier: String, device: EUI64, networkOperator: String, legacyCounters: Bool = false, requestCounter: OriginatorCounter? = nil,
        pathOptions: CertificationPathOptions = CertificationPathOptions()
    ) {
        self.supplier = supplier
        self.device = device
        self.networkOperator = networkOperator
        self.legacyCounters = legacyCounters
        self.requestCounter = requestCounter
        self.pathOptions = pathOptions
    }
}

extension ServiceRequest {
    /// The target device.
    public var device: EUI64 {
        switch self {
        case .updateSecurityCredentials(let request): request.device
        case .requestHandover(let request): request.device
        case .recovery(let request): request.device
        }
    }
}
