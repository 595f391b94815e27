import AnchorCore
import GBCS
import SMKI

/// DUIS requests as the engine's Service Requests, and the engine's refusals as DUIS codes.
/// Identities come from the Repository (certificates by their DER bytes); no access rule lives
/// here beyond those DUIS itself applies before a request reaches the service (who may send
/// which service, Request ID counters); the engine decides the rest.
public enum DUISServiceMapping {
    /// The two services, as DUIS names them.
    public enum Service: Sendable {
        /// 6.15 / 6.15.1.
        case updateSecurityCredentials
        /// 6.21 / 6.21.
        case requestHandover
    }

    /// The GBCS version AnchorDesk's pre-commands are written to (DUIS V5.4 is aligned with GBCS 4.3).
    public static let gbcsVersion = "4.3"

    /// The service a request's header names, checked against its Command Variant and body.
    /// - Throws: ``DUISRefusal`` E12 for a Command Variant the service does not take, or a body of another service.
    public static func service(of request: DUISRequest) throws(DUISRefusal) -> Service {
        switch (request.serviceReference, request.serviceReferenceVariant, request.commandVariant, request.body) {
        case ("6.15", "6.15.1", 4, .updateSecurityCredentials), ("6.15", "6.15.1", 5, .signedPreCommand):
            return .updateSecurityCredentials
        case ("6.21", "6.21", 1, .requestHandover):
            return .requestHandover
        case ("6.15", "6.15.1", _, _):
            throw DUISRefusal(.wrongCommandVariant, "SRV6.15.1 is critical: CommandVariant 4 with its body, then 5 with SignedPreCommand; AnchorDesk takes no other")
        case ("6.21", "6.21", _, _):
            throw DUISRefusal(.wrongCommandVariant, "SRV6.21 takes CommandVariant 1 with RequestHandoverOfDCCControlledDevice")
        default:
            throw DUISRefusal(.wrongCommandVariant, "service \(DUISRequest.shown(request.serviceReferenceVariant)) with this body is not SRV6.15.1 or SRV6.21")
        }
    }

    /// SRV6.15.1 (CommandVariant 4) as the engine's request from `sender`.
    /// - Throws: ``DUISRefusal`` E2 unless the Remote Party Role is NetworkOperator (AnchorDesk
    ///   keeps Network Operator cells), E061501 for a certificate not in the Repository.
    public static func updateSecurityCredentials(
        _ body: CredentialsReplacement, requestID: DUISRequestID, sender: Organisation, directory: CertificateDirectory
    ) throws(DUISRefusal) -> UpdateSecurityCredentialsRequest {
        guard body.remotePartyRole == "NetworkOperator" else {
            throw DUISRefusal(.roleNotEligible, "RemotePartyRole \(DUISRequest.shown(body.remotePartyRole)): AnchorDesk replaces Network Operator cells only")
        }
        let certificates = try [body.digitalSigning, body.keyAgreement].compactMap { $0 }.map { der throws(DUISRefusal) in
            guard let id = directory.id(ofDER: der) else {
                throw DUISRefusal(.replacementCertificateRefused, "a replacement certificate is not in the SMKI Repository")
            }
            return id
        }
        return UpdateSecurityCredentialsRequest(
            sender: sender.id, device: requestID.target, replacementCertificates: certificates,
            counter: OriginatorCounter(requestID.counter), newFloor: body.floor.map(OriginatorCounter.init),
            execution: body.execution,
            pathOptions: CertificationPathOptions(certificates: body.certificationPath, applyTimeBasedChecks: body.applyTimeBasedChecks))
    }

    /// SRV6.21 (CommandVariant 1) as the engine's request: the incoming GNO is the owner of the
    /// Digital Signing certificate the body carries.
    /// - Throws: ``DUISRefusal`` E2 unless the role is NetworkOperator, E062102 when a
    ///   certificate is not a Network Operator's in the Repository or the two name different owners.
    public static func requestHandover(
        _ body: CredentialsReplacement, requestID: DUISRequestID, supplier: Organisation, ledger: Ledger,
        directory: CertificateDirectory, legacyCounters: Bool
    ) throws(DUISRefusal) -> HandoverRequest {
        guard body.remotePartyRole == "NetworkOperator" else {
            throw DUISRefusal(.roleNotEligible, "RemotePartyRole \(DUISRequest.shown(body.remotePartyRole)): AnchorDesk places Network Operator certificates only")
        }
        let owners = [body.digitalSigning, body.keyAgreement].compactMap { $0 }.map { der in
            directory.id(ofDER: der).flatMap { ledger.owner(ofCertificate: $0) }
        }
        guard let first = owners.first ?? nil, owners.allSatisfy({ $0?.id == first.id }), first.role == .networkOperator else {
            throw DUISRefusal(.incomingOperatorRefused, "the certificates are not one Network Operator's in the SMKI Repository")
        }
        return HandoverRequest(
            supplier: supplier.id, device: requestID.target, networkOperator: first.id, legacyCounters: legacyCounters,
            requestCounter: OriginatorCounter(requestID.counter),
            pathOptions: CertificationPathOptions(certificates: body.certificationPath, applyTimeBasedChecks: body.applyTimeBasedChecks))
    }

    /// SRV6.15.1 (CommandVariant 5): the request the signed pre-command describes, its signed
    /// bytes and the User's signature. The caller checks the bytes are the engine's pre-command.
    /// - Throws: ``DUISRefusal`` E061505 when it is not a signed CS02b command of this Request
    ///   ID, or names certificates not in the Repository.
    public static func signedPreCommand(
        _ gbcs: [UInt8], execution: CommandExecution, requestID: DUISRequestID, sender: Organisation, directory: CertificateDirectory
    ) throws(DUISRefusal) -> SignedPreCommand {
        let signed = try signedPreCommand(gbcs, execution: execution, sender: sender, device: requestID.target, directory: directory)
        guard sender.entityId == requestID.originator, signed.request.counter?.value == requestID.counter else {
            throw DUISRefusal(.signedPreCommandRefused, "the pre-command's originator, recipient or counter is not the Request ID's")
        }
        return signed
    }

    /// A signed pre-command from `sender` to `device`, with the counter it carries (the operator
    /// API's bulk SRV6.15.1, where no Request ID comes with it).
    /// - Throws: ``DUISRefusal`` E061505 when it is not a signed CS02b command from `sender` to
    ///   `device`, or names certificates not in the Repository.
    public static func signedPreCommand(
        _ gbcs: [UInt8], execution: CommandExecution, sender: Organisation, device: EUI64, directory: CertificateDirectory
    ) throws(DUISRefusal) -> SignedPreCommand {
        guard let message = try? GBCSMessage.decode(gbcs, recordingFields: false), message.mac == nil,
              case .ecdsa(let signature) = message.block.signature,
              case .updateSecurityCredentialsCommand(let payload) = message.payload
        else { throw DUISRefusal(.signedPreCommandRefused, "GBCSPayload is not a signed CS02b pre-command") }
        let block = message.block
        guard block.cra == .command, block.originator == sender.entityId, block.recipient == device else {
            throw DUISRefusal(.signedPreCommandRefused, "the pre-command is not a command from \(sender.id) to \(device)")
        }
        let certificates = try payload.replacements.map { replacement throws(DUISRefusal) in
            guard let id = directory.id(ofDER: replacement.certificate) else {
                throw DUISRefusal(.signedPreCommandRefused, "the pre-command carries a certificate that is not in the SMKI Repository")
            }
            return id
        }
        let request = UpdateSecurityCredentialsRequest(
            sender: sender.id, device: device, replacementCertificates: certificates,
            counter: block.originatorCounter, newFloor: payload.newFloor.map(OriginatorCounter.init),
            execution: try commandExecution(payload.executionDateTime, requested: execution),
            pathOptions: CertificationPathOptions(certificates: payload.certificationPath, applyTimeBasedChecks: payload.applyTimeBasedCPVChecks != 1))
        return SignedPreCommand(request: request, signedBytes: message.signedBytes, signature: signature)
    }

    /// What a signed pre-command holds: the request it describes, the bytes the User signed and its signature.
    public struct SignedPreCommand: Sendable {
        public var request: UpdateSecurityCredentialsRequest
        public var signedBytes: [UInt8]
        public var signature: [UInt8]
    }

    /// The execution the pre-command carries; the body's ExecutionDateTime, if given, must agree.
    private static func commandExecution(_ dateTime: String?, requested: CommandExecution) throws(DUISRefusal) -> CommandExecution {
        let carried: CommandExecution
        switch dateTime {
        case nil: carried = .immediate
        case CS02bCommandPayload.cancellationDateTime?: carried = .cancelScheduled
        case let text?:
            guard let time = Timestamp(generalizedTime: text) else {
                throw DUISRefusal(.signedPreCommandRefused, "the pre-command's executionDateTime is not a GeneralizedTime")
            }
            carried = .at(time)
        }
        guard requested == .immediate || requested == carried else {
            throw DUISRefusal(.signedPreCommandRefused, "ExecutionDateTime differs from the pre-command's executionDateTime")
        }
        return carried
    }

    /// The DUIS code for the engine's refusal of a request before it reached the device.
    public static func code(for reason: RejectionReason, service: Service) -> DUISResponseCode {
        switch (reason, service) {
        case (.notAuthorised, .updateSecurityCredentials): .notAuthorisedForDevice
        case (.notAuthorised, .requestHandover): .handoverNotPossible
        case (.gnoNotDccUser, _): .incomingOperatorRefused
        case (.certificateRevoked, .updateSecurityCredentials), (.certificateNotInRepository, .updateSecurityCredentials),
             (.badCertificate, .updateSecurityCredentials): .replacementCertificateRefused
        case (.certificateRevoked, .requestHandover), (.certificateNotInRepository, .requestHandover),
             (.badCertificate, .requestHandover): .incomingOperatorRefused
        case (.notAGPF, _): .wrongDeviceType
        case (.duplicateRequest, .updateSecurityCredentials), (.counterExhausted, .updateSecurityCredentials): .updateCounterNotIncreasing
        case (.duplicateRequest, .requestHandover), (.counterExhausted, .requestHandover): .handoverCounterNotIncreasing
        case (.handBackPending, .updateSecurityCredentials), (.nothingScheduled, _): .scheduleConflict
        case (.handBackPending, .requestHandover): .handoverPending
        case (.antiReplay, _), (.deviceError, _), (.noResponse, _), (.unverifiedResponse, _): .noDeviceResponse
        }
    }
}
