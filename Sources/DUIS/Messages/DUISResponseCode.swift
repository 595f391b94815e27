/// The DUIS response codes AnchorDesk answers with (strings from DUIS schema V5.4's
/// `ResponseCode`). The schema gives no meanings; the generic codes follow DUIS's groups
/// (authorisation E1 to E5, validation E11 to E13, E19 unknown device). Which service-specific
/// code stands for which refusal is AnchorDesk's choice, documented in the README.
public enum DUISResponseCode: String, Sendable, CaseIterable {
    /// Success, with the answer in this response (a pre-command, a device's response).
    case success = "I0"
    /// Accepted: the device's answer follows, sent to the User's response address.
    case accepted = "I99"
    /// The request's signature, signer or Request ID originator is not a User's.
    case notAuthenticated = "E1"
    /// The User's role may not use this service.
    case roleNotEligible = "E2"
    /// The User's status does not allow it (not a DCC User).
    case userStatus = "E3"
    /// The User may not act on this device.
    case notAuthorisedForDevice = "E4"
    /// The service is not valid for this device (not a GPF).
    case wrongDeviceType = "E11"
    /// The Command Variant is not valid for this service.
    case wrongCommandVariant = "E12"
    /// The request was sent to the wrong endpoint for its Command Variant.
    case wrongEndpoint = "E13"
    /// No such device.
    case unknownDevice = "E19"
    /// The device gave no answer that could be read and verified (DUIS: no response from the device).
    case noDeviceResponse = "E21"
    /// SRV6.15.1: a replacement certificate is not the User's own (or the ACB's) in the SMKI Repository, or is revoked.
    case replacementCertificateRefused = "E061501"
    /// SRV6.15.1: the Request ID's counter is not above the User's last one.
    case updateCounterNotIncreasing = "E061504"
    /// SRV6.15.1: the signed pre-command is not the pre-command, or its signature does not verify
    /// with the certificate in the device's authorising cell.
    case signedPreCommandRefused = "E061505"
    /// SRV6.15.1: the device already holds a future-dated command, or has none of this User's to cancel.
    case scheduleConflict = "E061506"
    /// SRV6.21: the device's Network Operator cells do not hold the ACB's certificate.
    case handoverNotPossible = "E062101"
    /// SRV6.21: the incoming GNO is not a DCC User, or its certificates are not in the SMKI Repository
    /// (or are not the ones the request carries).
    case incomingOperatorRefused = "E062102"
    /// SRV6.21: the Request ID's counter is not above the Supplier's last one.
    case handoverCounterNotIncreasing = "E062103"
    /// SRV6.21: a future-dated hand-back the device holds has not executed yet.
    case handoverPending = "E062105"
}
