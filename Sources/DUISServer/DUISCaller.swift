import AnchorStore

/// Who sent a signed DUIS request: a User's tooling on the DUIS port, or an operator on the
/// operator API, known by its TLS client certificate and acting only for the organisations the
/// DSP granted it.
enum DUISCaller: Sendable {
    /// A User's own tooling: its device responses go to the outbox.
    case user
    /// An authenticated operator: the signing User must be one it may act for, and it is answered
    /// with the device's response at once.
    case `operator`(OperatorGrants.Grant)

    /// The operator's certificate subject, for the log.
    var subject: String? {
        guard case .operator(let grant) = self else { return nil }
        return grant.subject
    }

    /// Refuses a request signed by `organisation` when the caller is an operator not granted it.
    func check(actingFor organisation: String) throws(OperatorRefusal) {
        guard case .operator(let grant) = self, !grant.organisations.contains(organisation) else { return }
        throw OperatorRefusal("operator '\(grant.subject)' may not act for \(organisation)")
    }
}

/// An operator acting beyond its grants: HTTP 403, and nothing changes.
struct OperatorRefusal: Error, Sendable {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
