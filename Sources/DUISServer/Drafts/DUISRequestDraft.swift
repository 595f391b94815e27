import AnchorCore
import DUIS
import SMKI

/// A User's SRV6.15.1 (CommandVariant 4) or SRV6.21 (CommandVariant 1) request as it is asked
/// for, before it is written out and signed: `anchordesk duis request` writes one, and the
/// operator API prepares one for an operator to sign on its own machine with the User's key.
public struct DUISRequestDraft: Codable, Equatable, Sendable {
    /// The two services a draft can be.
    public enum Service: String, Codable, Sendable {
        case updateSecurityCredentials = "6.15.1"
        case requestHandover = "6.21"
    }

    /// Which service.
    public var service: Service
    /// The signing User: the GNO (6.15.1) or the Responsible Supplier (6.21).
    public var organisation: String
    /// The target device.
    public var device: EUI64
    /// 6.15.1: a certificate ID, or an owner's ID for its DS and KA pair.
    public var certificate: String?
    /// 6.21: the incoming Gas Network Operator.
    public var networkOperator: String?
    /// The Request ID's counter; `nil`: the User's next.
    public var counter: UInt64?
    /// 6.15.1: the RemotePartyFloorSeqNumber, if any.
    public var newFloor: UInt64?
    /// 6.15.1: the ExecutionDateTime, if any (`nil`: executed on receipt).
    public var execution: Execution?

    /// When a future-dated SRV6.15.1 executes.
    public enum Execution: Codable, Equatable, Sendable {
        /// Acknowledged on receipt, executed at this time.
        case at(Timestamp)
        /// Cancels the future-dated command the device holds (DUIS's cancellation date).
        case cancelScheduled
    }

    /// A draft.
    public init(
        service: Service, organisation: String, device: EUI64, certificate: String? = nil, networkOperator: String? = nil,
        counter: UInt64? = nil, newFloor: UInt64? = nil, execution: CommandExecution = .immediate
    ) {
        self.service = service
        self.organisation = organisation
        self.device = device
        self.certificate = certificate
        self.networkOperator = networkOperator
        self.counter = counter
        self.newFloor = newFloor
        switch execution {
        case .immediate: self.execution = nil
        case .at(let time): self.execution = .at(time)
        case .cancelScheduled: self.execution = .cancelScheduled
        }
    }

    /// The execution the draft asks for.
    public var commandExecution: CommandExecution {
        switch execution {
        case nil: .immediate
        case .at(let time)?: .at(time)
        case .cancelScheduled?: .cancelScheduled
        }
    }

    /// The unsigned request, with the certificates it carries from `repository`.
    /// - Throws: unknown organisations and certificates, a missing `certificate` or
    ///   `networkOperator`, or a User with no counter left, as ``RequestError``.
    public func document(in repository: DUISRepository) throws(RequestError) -> [UInt8] {
        let ledger = repository.ledger
        let signer = try ledger.existingOrganisation(organisation)
        let counter: UInt64
        if let given = self.counter {
            counter = given
        } else if let next = signer.lastCounter.successor {
            counter = next.value
        } else {
            throw .invalidRequest("\(signer.id) has no counter left")
        }
        let requestID = DUISRequestID(originator: signer.entityId, target: device, counter: counter)
        switch service {
        case .updateSecurityCredentials:
            guard let certificate else { throw .invalidRequest("SRV6.15.1 needs the replacement certificate") }
            if case .at(let time)? = execution, time >= DUISRequest.cancellationDate {
                throw .invalidRequest("an ExecutionDateTime of \(DUISRequest.cancellationDate) or later is DUIS's cancellation, not a time: --cancel-scheduled cancels")
            }
            return DUISRequestDocument.updateSecurityCredentials(
                requestID: requestID, floor: newFloor, certificates: try repository.certificates(try ledger.resolveCertificates(certificate)),
                execution: commandExecution)
        case .requestHandover:
            guard execution == nil else { throw .invalidRequest("SRV6.21 executes on receipt: it is never future-dated") }
            guard let networkOperator else { throw .invalidRequest("SRV6.21 needs the incoming Gas Network Operator") }
            // The GNO is named as an organisation: unknown, it is unknown-org, as for 'request 6.21'.
            let incoming = try ledger.existingOrganisation(networkOperator)
            return DUISRequestDocument.requestHandover(
                requestID: requestID, certificates: try repository.certificates(try ledger.resolveCertificates(incoming.id)))
        }
    }
}
