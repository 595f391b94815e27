/// One organisation lifecycle action, as the lifecycle log keeps it (refusals included).
public struct LifecycleRecord: Hashable, Sendable, Codable {
    /// Subscribe, cease or revoke.
    public var action: OrganisationAction
    /// The organisation's ID.
    public var organisation: String
    /// Succeeded or rejected.
    public var outcome: RequestOutcome
    /// Why it was refused; `nil` on success.
    public var reason: LifecycleRefusal?
    /// A sentence explaining the outcome.
    public var detail: String
    /// How many devices held the organisation's certificates when the action was decided.
    public var devicesHoldingCertificates: Int
    /// The certificates the action issued (subscribe) or revoked (revoke).
    public var certificates: [String]
    /// When it was decided.
    public var at: Timestamp
    /// The operator (its client certificate's subject) that asked for it through the operator API, if one did.
    public var operatorSubject: String?

    /// Creates a record.
    public init(
        action: OrganisationAction, organisation: String, outcome: RequestOutcome, reason: LifecycleRefusal?,
        detail: String, devicesHoldingCertificates: Int, certificates: [String], at: Timestamp, operatorSubject: String? = nil
    ) {
        self.action = action
        self.organisation = organisation
        self.outcome = outcome
        self.reason = reason
        self.detail = detail
        self.devicesHoldingCertificates = devicesHoldingCertificates
        self.certificates = certificates
        self.at = at
        self.operatorSubject = operatorSubject
    }
}
