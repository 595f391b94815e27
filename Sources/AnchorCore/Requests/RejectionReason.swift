/// Why a processed request did not succeed. The raw values are the contract's reason strings.
public enum RejectionReason: String, Codable, Sendable, CaseIterable {
    /// The device refused the command: counter not greater than its floor.
    case antiReplay = "anti-replay"
    /// The sender may not send this to this device.
    case notAuthorised = "not-authorised"
    /// SRV6.21 for a GNO that is not a DCC User or has no certificate in the SMKI Repository.
    case gnoNotDccUser = "gno-not-dcc-user"
    /// The replacement certificate is revoked.
    case certificateRevoked = "certificate-revoked"
    /// The replacement certificate is not in the SMKI Repository.
    case certificateNotInRepository = "certificate-not-in-repository"
    /// The target is not a SMETS2 GPF.
    case notAGPF = "not-a-gpf"
    /// The Request ID was used before; nothing was sent again.
    case duplicateRequest = "duplicate-request"
    /// No greater counter exists: the recorded or organisation counter is `UInt64.max`.
    case counterExhausted = "counter-exhausted"
    /// The device reported that a replacement certificate was unacceptable.
    case badCertificate = "bad-certificate"
    /// The device reported another failure status.
    case deviceError = "device-error"
    /// The device did not answer.
    case noResponse = "no-response"
    /// The answer did not verify against the device's signing key, or was unsigned or unreadable.
    case unverifiedResponse = "unverified-response"
    /// The device holds a future-dated hand-back (or other SRV6.15.1) whose alert has not arrived:
    /// no SRV6.21 and no second scheduled command until it has.
    case handBackPending = "hand-back-pending"
    /// A cancellation for a device with no future-dated command pending.
    case nothingScheduled = "nothing-scheduled"
}
