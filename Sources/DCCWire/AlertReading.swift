import AnchorCore
import Crypto
import GBCS
import SMKI

/// What the DCC believes of an alert's bytes: a future-dated CS02b alert (0x8F66 or 0x8F67)
/// from the device it names, signed with that device's key; anything else is unverified.
public enum AlertReading {
    /// The bytes as an ``AlertDelivery``.
    /// - Parameters:
    ///   - alert: the alert as it arrived.
    ///   - deviceKey: the Digital Signing key of the device it names.
    ///   - directory: the certificates, to read the outcome's key identifiers.
    public static func delivery(of alert: ReceivedAlert, deviceKey: P256.Signing.PublicKey, directory: CertificateDirectory) -> AlertDelivery {
        guard let message = try? GBCSMessage.decode(alert.bytes, recordingFields: false) else { return .unverified("unreadable bytes") }
        guard message.block.cra == .alert, message.block.originator == alert.device,
              message.block.originatorCounter == alert.alertCounter
        else { return .unverified("it is not the alert it was received as (CRA flag, sender or counter differ)") }
        if let why = DeviceSignature.problem(with: message, deviceKey: deviceKey) { return .unverified(why) }
        guard case .updateSecurityCredentialsAlert(let payload) = message.payload,
              message.block.messageCode == MessageCode.updateSecurityCredentialsAlert,
              [CS02bAlertPayload.executedCode, CS02bAlertPayload.failedCode].contains(payload.alertCode)
        else { return .unverified("it is not a future-dated CS02b alert (0x8F66 or 0x8F67)") }
        return .verified(DeviceAlert(
            executed: payload.alertCode == CS02bAlertPayload.executedCode,
            executionTime: Timestamp(generalizedTime: payload.executionDateTime), commandOriginator: message.block.recipient,
            outcome: OutcomeReading.response(payload.outcome, sent: [], directory: directory)))
    }
}
