/// One processed request, as the request log keeps it.
public struct RequestRecord: Hashable, Codable, Sendable {
    /// The DUIS Request ID, `originator:device:counter` of the requesting user.
    public var requestId: String
    /// 6.15.1, 6.21 or recovery.
    public var service: ServiceName
    /// The target device.
    public var device: EUI64
    /// The organisation that submitted the request.
    public var requester: String
    /// The organisation that signed the GBCS command (the ACB for 6.21).
    public var originator: String
    /// The command's Originator Counter.
    public var originatorCounter: OriginatorCounter
    /// Succeeded or rejected.
    public var outcome: RequestOutcome
    /// Why it was rejected; `nil` on success.
    public var reason: RejectionReason?
    /// A sentence explaining the outcome.
    public var detail: String
    /// The device's recorded NO counter after this request, if any.
    public var recordedCounter: OriginatorCounter?
    /// The NO floor the device reported afterwards; `nil` if it reported none.
    public var deviceFloor: OriginatorCounter?
    /// For 6.21: the counter the ACB generated.
    public var generatedCounter: OriginatorCounter?
    /// For 6.21: the recorded counter consulted, if one was stored.
    public var storedCounter: OriginatorCounter?
    /// For 6.21: whether the recorded-counter rule was skipped.
    public var legacyCounters: Bool?
    /// The replacement certificate IDs.
    public var certificates: [String]
    /// When the request was processed.
    public var at: Timestamp
    /// For a Recovery Event: the operator's reason, the NO holder before and the floor asked for.
    public var recovery: RecoveryDetails?
    /// The operator that sent it through a DSP's operator API: its client certificate's subject
    /// (in the audit chain with the rest of the record); `nil` for every other way in.
    public var operatorSubject: String?

    /// Creates a record.
    public init(
        requestId: String, service: ServiceName, device: EUI64, requester: String, originator: String,
        originatorCounter: OriginatorCounter, outcome: RequestOutcome, reason: RejectionReason?, detail: String,
        recordedCounter: OriginatorCounter?, deviceFloor: OriginatorCounter?, generatedCounter: OriginatorCounter?,
        storedCounter: OriginatorCounter?, legacyCounters: Bool?, certificates: [String], at: Timestamp,
        recovery: RecoveryDetails? = nil, operatorSubject: String? = nil
    ) {
        self.requestId = requestId
        self.service = service
        self.device = device
        self.requester = requester
        self.originator = originator
        self.originatorCounter = originatorCounter
        self.outcome = outcome
        self.reason = reason
        self.detail = detail
        self.recordedCounter = recordedCounter
        self.deviceFloor = deviceFloor
        self.generatedCounter = generatedCounter
        self.storedCounter = storedCounter
        self.legacyCounters = legacyCounters
        self.certificates = certificates
        self.at = at
        self.recovery = recovery
        self.operatorSubject = operatorSubject
    }
}
