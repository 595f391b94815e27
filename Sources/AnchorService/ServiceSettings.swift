import AnchorCore
import GPFSimulator
import SMKI

/// How the DSP works, whichever front end started it.
public struct ServiceSettings: Sendable {
    /// The key directory Users' private keys are read from (`--keys`, `$ANCHORDESK_KEYS`), read
    /// before a demo store's own; `nil`: only the demo store's.
    public var userKeys: String?
    /// The PKCS#11 token holding the DCC's private keys, if one does (`$ANCHORDESK_PKCS11_*`).
    public var keyToken: PKCS11Settings?
    /// How long a writer waits for another writer.
    public var lockTimeout: Duration
    /// The threads each bulk group's requests are evaluated on.
    public var workers: Int
    /// Requests per durable group in bulk work (one `fsync` or transaction each).
    public var groupSize: Int

    /// Requests per durable group unless asked otherwise.
    public static let defaultGroupSize = 500

    /// Creates settings.
    public init(userKeys: String? = nil, keyToken: PKCS11Settings? = nil, lockTimeout: Duration = .seconds(2),
                workers: Int = Speculation.onePerCore, groupSize: Int = ServiceSettings.defaultGroupSize) {
        self.userKeys = userKeys
        self.keyToken = keyToken
        self.lockTimeout = lockTimeout
        self.workers = workers
        self.groupSize = groupSize
    }
}
