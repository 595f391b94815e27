import AnchorCore
import GBCS
import SMKI

/// How a GPF executes a received CS02b Update Security Credentials command.
///
/// The order is the device's: the message must be a well-formed CS02b command; its signature
/// must verify against the public key of the certificate in the authorising (DS) cell of the
/// mode's role; that certificate's subject must be the originator; the counter must be greater
/// than the role's floor. Only then are the replacements applied, each read from its X.509 bytes.
///
/// A future-dated command (`executionDateTime`) passes the same checks on receipt and is
/// acknowledged (`commandAccepted`, no outcome); the device keeps it and, when it falls due,
/// checks the authorising cell, signature and counter again as of that moment before executing
/// it (see ``ScheduledExecution``). A cancellation (`99991231235959Z`) drops the kept command.
enum CS02bExecution {
    /// The date-time a CS02b response carries: the value in every RTDS CS02b response
    /// (`07DF0101FF000000008000FF`). *(model)* The simulated device has no clock of its own.
    static let responseDateTime: [UInt8] = [0x07, 0xDF, 0x01, 0x01, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0xFF]

    /// The replacement mode a CS02b command names, if it is one AnchorDesk knows.
    static func mode(of message: GBCSMessage) -> ReplacementMode? {
        guard case .updateSecurityCredentialsCommand(let payload) = message.payload, let code = UInt8(exactly: payload.mode) else { return nil }
        return ReplacementMode(rawValue: code)
    }

    /// The unsigned answer to a command: a response or alert from the device to the command's originator, with its counter.
    static func reply(_ cra: CRAFlag, _ content: [UInt8], to block: GeneralSigningBlock, from device: EUI64) -> GeneralSigningBlock {
        GeneralSigningBlock(
            cra: cra, originatorCounter: block.originatorCounter, originator: device, recipient: block.originator,
            dateTime: cra == .response ? responseDateTime : nil, messageCode: block.messageCode, content: content, signature: .absent)
    }

    /// *(model)* The alert saying why a command was refused.
    static func refusal(_ reason: CommandRefusalAlert.Reason, to block: GeneralSigningBlock, from device: EUI64) -> GeneralSigningBlock {
        reply(.alert, CommandRefusalAlert(reason: reason).encoded, to: block, from: device)
    }

    /// A well-formed CS02b command's payload and mode, or `nil`.
    static func readable(_ message: GBCSMessage) -> (payload: CS02bCommandPayload, mode: ReplacementMode)? {
        let block = message.block
        guard block.cra == .command, case .updateSecurityCredentialsCommand(let payload) = message.payload,
              let mode = mode(of: message), block.messageCode == MessageCode.updateSecurityCredentials(mode),
              payload.authorisingSequenceNumber == block.originatorCounter.value
        else { return nil }
        return (payload, mode)
    }

    /// Why the device, as it is now, refuses a readable command: `[2]` naming another cell, a
    /// signature that does not verify with the authorising cell's certificate, a signer other
    /// than the originator, or a counter not above the role's floor; `nil` to go ahead.
    static func refusal(
        of message: GBCSMessage, _ payload: CS02bCommandPayload, mode: ReplacementMode, on device: Device, directory: CertificateDirectory
    ) -> CommandRefusalAlert.Reason? {
        let block = message.block
        let role = mode.authorisingRole
        if let named = payload.authorisingCell, named.cell?.role != role || named.keyUsage != .digitalSigning {
            return .authorisation
        }
        guard let authorisingCell = TrustAnchorCell.cell(role: role, keyUsage: .digitalSigning),
              let holderID = device.cells[authorisingCell], let holder = directory[holderID],
              case .ecdsa(let signature) = block.signature,
              holder.verifies(signature: signature, over: message.signedBytes)
        else { return .authentication }
        guard holder.entityId == block.originator else { return .authorisation }
        guard AntiReplay.accepts(block.originatorCounter, floor: device.floors[role]) else { return .antiReplay }
        return nil
    }

    /// Checks and acts on one received command and returns the (unsigned) block to send back: a
    /// CS02b response (with the outcome, or an acknowledgement for a future-dated command or a
    /// cancellation), or *(model)* an alert saying why the command was refused.
    /// - Parameter received: the bytes as they arrived, which a future-dated command is kept as.
    static func answer(
        _ message: GBCSMessage, received: [UInt8], on device: inout Device, directory: CertificateDirectory
    ) -> GeneralSigningBlock {
        let block = message.block
        guard let (payload, mode) = readable(message) else { return refusal(.malformed, to: block, from: device.id) }
        if let reason = refusal(of: message, payload, mode: mode, on: device, directory: directory) {
            return refusal(reason, to: block, from: device.id)
        }
        switch payload.executionDateTime {
        case nil:
            let outcome = execute(payload, mode: mode, counter: block.originatorCounter, on: &device, directory: directory)
            return reply(.response, outcome.encoded, to: block, from: device.id)
        case CS02bCommandPayload.cancellationDateTime?:
            // The cancellation is itself a command the role authorised: its counter is the new floor.
            device.floors[mode.authorisingRole] = block.originatorCounter
            device.pending = nil
            return reply(.response, CS02bResponsePayload.acceptedOnly, to: block, from: device.id)
        case let text?:
            guard let due = Timestamp(generalizedTime: text) else { return refusal(.malformed, to: block, from: device.id) }
            // *(model)* The device holds one future-dated CS02b; a newer one takes its place.
            device.pending = PendingCommand(command: received, dueAt: due)
            return reply(.response, CS02bResponsePayload.acceptedOnly, to: block, from: device.id)
        }
    }

    /// Executes a command that passed its checks: the role's floor becomes the counter, the
    /// replacements are applied, and each replaced role gets the new floor.
    static func execute(
        _ payload: CS02bCommandPayload, mode: ReplacementMode, counter: OriginatorCounter, on device: inout Device,
        directory: CertificateDirectory
    ) -> CS02bResponsePayload {
        let role = mode.authorisingRole
        device.floors[role] = counter
        var outcomes: [CS02bResponsePayload.Outcome] = []
        var replacedRoles: Set<OrganisationRole> = []
        for replacement in payload.replacements {
            let cell = replacement.target.cell
            let replacingID = directory.id(ofDER: replacement.certificate)
            let replacing = replacingID.flatMap { directory[$0] }
            let existing = cell.flatMap { device.cells[$0] }.flatMap { directory[$0] }
            let status = status(of: replacingID.flatMap { replacing?.subject(id: $0) }, in: cell, mode: mode)
            if status == .success, let cell, let replacingID {
                device.cells[cell] = replacingID
                replacedRoles.insert(cell.role)
            }
            outcomes.append(outcome(replacement, status: status, existing: existing, replacing: replacing))
        }
        let newFloor = OriginatorCounter(payload.newFloor ?? 0)
        var floorChanges: [OrganisationRole: OriginatorCounter] = [:]
        for replaced in replacedRoles {
            device.floors[replaced] = newFloor
            floorChanges[replaced] = newFloor
        }
        if floorChanges[role] == nil { floorChanges[role] = device.floors[role] }
        return CS02bResponsePayload(
            authorisingSequenceNumber: payload.authorisingSequenceNumber, mode: payload.mode,
            floorChanges: seqNumberChanges(floorChanges), outcomes: outcomes)
    }

    /// One replacement's line in an `ExecutionOutcome`.
    static func outcome(
        _ replacement: CS02bCommandPayload.Replacement, status: CredentialsUpdateStatus,
        existing: OrganisationCertificate?, replacing: OrganisationCertificate?
    ) -> CS02bResponsePayload.Outcome {
        CS02bResponsePayload.Outcome(
            cell: replacement.target, status: UInt64(status.rawValue),
            existingSubject: existing?.entityId?.octets ?? [], existingKeyIdentifier: existing?.keyIdentifier ?? [],
            replacingSubject: replacing?.entityId?.octets ?? [], replacingKeyIdentifier: replacing?.keyIdentifier ?? [])
    }

    /// Floors as `remotePartySeqNumberChanges`, in role-code order.
    static func seqNumberChanges(_ floors: [OrganisationRole: OriginatorCounter]) -> [RemotePartySeqNumberChange] {
        floors.sorted { $0.key.remotePartyRoleCode < $1.key.remotePartyRoleCode }
            .map { RemotePartySeqNumberChange(role: UInt64($0.key.remotePartyRoleCode), floor: $0.value.value) }
    }

    /// Whether a replacement fits its cell: the certificate must be readable and its key usage
    /// match, and a Network Operator cell accepts a Network Operator's or the ACB's certificate
    /// (GPFs ship with the ACB's there).
    private static func status(
        of certificate: CertificateSubject?, in cell: TrustAnchorCell?, mode: ReplacementMode
    ) -> CredentialsUpdateStatus {
        guard let cell else { return .trustAnchorNotFound }
        guard let certificate, certificate.keyUsage == cell.keyUsage else { return .badCertificate }
        switch mode {
        case .networkOperatorByNetworkOperator:
            guard cell.role == .networkOperator else { return .trustAnchorNotFound }
            return [.networkOperator, .acb].contains(certificate.role) ? .success : .badCertificate
        case .anyExceptAbnormalRootByRecovery:
            guard cell.role != .root else { return .trustAnchorNotFound }
            let acceptable: Set<OrganisationRole> = cell.role == .networkOperator ? [.networkOperator, .acb] : [cell.role]
            return acceptable.contains(certificate.role) ? .success : .badCertificate
        default:
            return cell.role == mode.authorisingRole && certificate.role == cell.role ? .success : .badCertificate
        }
    }
}
