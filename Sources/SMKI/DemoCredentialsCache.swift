import AnchorCore
import Synchronization

/// Demo credentials derived once per set of organisations and certificates, for dry runs and tests.
public enum DemoCredentialsCache {
    private static let cache = Mutex<[String: EstateCredentials]>([:])

    /// ``EstateCredentials/derived(for:seed:)`` for this ledger's organisations and certificates,
    /// made on first use. Without them (a certificate cannot be built), the directory is empty
    /// and every device refuses: the dry run then predicts a refusal, never a success.
    public static func credentials(for ledger: Ledger) -> EstateCredentials {
        let key = ledger.organisations.map { "\($0.id)|\($0.role.rawValue)|\($0.entityId)" }.joined(separator: ",") + ";"
            + ledger.certificates.map { "\($0.id)|\($0.owner)|\($0.keyUsage.rawValue)" }.joined(separator: ",")
        if let known = cache.withLock({ $0[key] }) { return known }
        let made = (try? EstateCredentials.derived(for: ledger)) 
            ?? EstateCredentials(directory: CertificateDirectory(), signingKeys: [:], acbKeyAgreementKey: nil,
                                 deviceKeys: DeviceKeyring(seed: [], authority: nil))
        // Two callers may derive at once; the first stored wins, so every caller sees one set
        // (certificates are signed afresh each time, so two sets differ in their bytes).
        return cache.withLock { known in
            if let first = known[key] { return first }
            known[key] = made
            return made
        }
    }
}
