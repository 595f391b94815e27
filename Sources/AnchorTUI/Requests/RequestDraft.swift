import AnchorCore

/// A Service Request as the launcher's form describes it, before it is built against a ledger.
///
/// The runtime builds the real request against the freshly opened store, exactly as the
/// preview builds it against the loaded one, so what is previewed is what is sent.
public struct RequestDraft: Hashable, Sendable {
    /// 6.15.1 or 6.21.
    public var service: ServiceName
    /// The target device.
    public var device: EUI64
    /// The acting organisation: the GNO for 6.15.1, the Supplier for 6.21.
    public var actingOrganisation: String
    /// 6.15.1: a certificate ID or an owner (`acb` for the ACB's pair).
    public var certificate: String
    /// 6.21: the incoming GNO.
    public var networkOperator: String
    /// 6.15.1: the Originator Counter typed by the user; `nil` means the sender's next one.
    public var counter: OriginatorCounter?
    /// 6.15.1: `newRemotePartyFloorSeqNumber` typed by the user; `nil` means the command's own counter.
    public var newFloor: OriginatorCounter?
    /// 6.15.1: when the device is to execute it; `nil` means at once.
    public var executeAt: Timestamp?
    /// 6.21: skip the recorded-counter rule (legacy behaviour).
    public var legacyCounters: Bool

    /// Creates a draft.
    public init(
        service: ServiceName, device: EUI64, actingOrganisation: String, certificate: String = "",
        networkOperator: String = "", counter: OriginatorCounter? = nil, newFloor: OriginatorCounter? = nil,
        executeAt: Timestamp? = nil, legacyCounters: Bool = false
    ) {
        self.newFloor = newFloor
        self.executeAt = executeAt
        self.service = service
        self.device = device
        self.actingOrganisation = actingOrganisation
        self.certificate = certificate
        self.networkOperator = networkOperator
        self.counter = counter
        self.legacyCounters = legacyCounters
    }

    /// The request, with `--cert` style names resolved against a ledger.
    /// - Throws: ``RequestError`` for unknown organisations or certificates.
    public func serviceRequest(ledger: Ledger) throws(RequestError) -> ServiceRequest {
        let acting = actingOrganisation.trimmingSpaces
        guard !acting.isEmpty else { throw .invalidRequest("name the acting organisation") }
        guard ledger.organisation(acting) != nil else { throw .unknownOrganisation(acting) }
        switch service {
        case .updateSecurityCredentials:
            let certificate = certificate.trimmingSpaces
            guard !certificate.isEmpty else { throw .invalidRequest("name the replacement certificate (acb, an owner or a certificate ID)") }
            return .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: acting, device: device, replacementCertificates: try ledger.resolveCertificates(certificate),
                counter: counter, newFloor: newFloor, execution: executeAt.map(CommandExecution.at) ?? .immediate))
        case .requestHandover:
            let gno = networkOperator.trimmingSpaces
            guard !gno.isEmpty else { throw .invalidRequest("name the incoming Gas Network Operator") }
            guard ledger.organisation(gno) != nil else { throw .unknownOrganisation(gno) }
            return .requestHandover(HandoverRequest(
                supplier: acting, device: device, networkOperator: gno, legacyCounters: legacyCounters))
        case .recovery:
            throw .invalidRequest("a Recovery Event is run with 'anchordesk recovery', not from the launcher")
        }
    }

    /// The defaults the launcher starts with for a device.
    ///
    /// 6.15.1: the GNO whose certificate is in the NO cell, handing back to the ACB.
    /// 6.21: the device's Responsible Supplier, placing Cadent (or the first DCC User GNO).
    public static func defaults(for service: ServiceName, device: Device, ledger: Ledger, legacy: Bool) -> RequestDraft {
        switch service {
        case .updateSecurityCredentials, .recovery:
            let owner = device.cells[.networkOperatorDS].flatMap { ledger.owner(ofCertificate: $0) }
            let sender = owner?.role == .networkOperator ? owner?.id : nil
            return RequestDraft(service: service, device: device.id, actingOrganisation: sender ?? "",
                                certificate: "acb", legacyCounters: legacy)
        case .requestHandover:
            let gnos = ledger.organisations.filter { $0.role == .networkOperator && $0.dccUser }
            let gno = gnos.first(where: { $0.id == "cadent" }) ?? gnos.first
            return RequestDraft(service: service, device: device.id, actingOrganisation: device.supplier,
                                networkOperator: gno?.id ?? "", legacyCounters: legacy)
        }
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
