import AnchorCore
import Crypto
import GBCS
import SMKI

/// The DCC's side of a CS02b command on the wire: the bytes it sends (signed by the
/// originator, MACed with the ACB's key) and what it believes of the bytes that come back.
public enum CommandWire {
    /// The command as it goes to the device (GBCS-WIRE.md §1): signed by the originator, then
    /// `DD`-wrapped with the MAC keyed by the ACB's and the device's key-agreement keys; a
    /// Recovery command goes bare. Without a key for the originator it goes unsigned, and without
    /// the ACB's key-agreement key with a MAC of zeros: either way the device refuses it.
    public static func encode(_ command: UpdateSecurityCredentialsCommand, credentials: EstateCredentials) -> [UInt8] {
        var block = unsignedBlock(command, directory: credentials.directory)
        block.signature = .unsigned
        if let signer = credentials.signer(for: command.originator),
           let signature = try? signer.signature(over: block.signedBytes) {
            block.signature = .ecdsa(signature)
        }
        if command.mode == .anyExceptAbnormalRootByRecovery { return block.encoded }
        guard let secret = credentials.macSecret(for: command.recipient) else {
            return GBCSMessage.wrap(apdu: block.encoded, mac: [UInt8](repeating: 0, count: CommandMAC.length))
        }
        return CommandMAC.wrap(block, z: secret)
    }

    /// The command's general signing block before anyone signs it. With the signature absent,
    /// its bytes are the DUIS pre-command a User signs (GBCS-WIRE.md §1).
    public static func unsignedBlock(_ command: UpdateSecurityCredentialsCommand, directory: CertificateDirectory) -> GeneralSigningBlock {
        let authorisingCell = TrustAnchorCell.cell(role: command.mode.authorisingRole, keyUsage: .digitalSigning)
        let payload = CS02bCommandPayload(
            mode: UInt64(command.mode.rawValue), authorisingCell: authorisingCell.map(TrustAnchorCellIdentifier.init),
            authorisingSequenceNumber: command.originatorCounter.value, newFloor: command.newFloor.value,
            replacements: command.replacements.map { replacement in
                CS02bCommandPayload.Replacement(
                    certificate: directory[replacement.certificate.certificateId]?.der ?? [0x30, 0x00],
                    target: TrustAnchorCellIdentifier(replacement.targetCell))
            },
            certificationPath: command.pathOptions.certificates,
            executionDateTime: executionDateTime(command.execution),
            // DER leaves out `apply (0)`, as DCC's reference pre-command does for ApplyTimeBasedCPVChecks true.
            applyTimeBasedCPVChecks: command.pathOptions.applyTimeBasedChecks ? nil : 1)
        return GeneralSigningBlock(
            cra: .command, originatorCounter: command.originatorCounter, originator: command.originator,
            recipient: command.recipient, messageCode: MessageCode.updateSecurityCredentials(command.mode),
            content: payload.encoded, signature: .absent)
    }

    /// The `executionDateTime` a command carries: none, its time, or the cancellation value.
    public static func executionDateTime(_ execution: CommandExecution) -> String? {
        switch execution {
        case .immediate: nil
        case .at(let time): time.generalizedTime
        case .cancelScheduled: CS02bCommandPayload.cancellationDateTime
        }
    }

    /// The device's answer as the engine's ``DeviceResponse``: ``DeviceResponse/unverified(_:)``
    /// unless it reads, answers this command (counter, sender and recipient) and carries a
    /// signature that verifies with the device's Digital Signing key.
    public static func interpret(
        _ bytes: [UInt8], answering command: UpdateSecurityCredentialsCommand, deviceKey: P256.Signing.PublicKey,
        directory: CertificateDirectory
    ) -> DeviceResponse {
        guard let message = try? GBCSMessage.decode(bytes, recordingFields: false) else { return .unverified("unreadable bytes") }
        guard message.block.originatorCounter == command.originatorCounter,
              message.block.originator == command.recipient, message.block.recipient == command.originator
        else { return .unverified("it does not answer this command (counter, sender or recipient differ)") }
        if let why = DeviceSignature.problem(with: message, deviceKey: deviceKey) { return .unverified(why) }
        switch message.payload {
        case .commandRefused(let alert):
            switch alert.reason {
            case .antiReplay: return .refused(.antiReplay)
            case .authorisation: return .refused(.authorisation)
            case .authentication: return .refused(.authentication)
            case .malformed: return .refused(.malformed)
            case .integrity: return .refused(.integrity)
            }
        case .updateSecurityCredentialsResponse(let payload):
            guard let payload else { return .accepted }
            return .executed(OutcomeReading.response(payload, sent: command.replacements, directory: directory))
        default:
            return .unverified("it is not a CS02b response")
        }
    }
}
