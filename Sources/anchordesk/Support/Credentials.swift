import AnchorCore
import AnchorStore
import Foundation
import GBCS
import SMKI

/// Where the CLI gets the estate's SMKI credentials: the store's vault, completed for anything new.
enum Credentials {
    /// The credentials for the store in `options`, making keys and certificates for any the vault
    /// lacks; Users' keys come from `keys` (then a demo store's own folder).
    static func load(
        _ options: CommonOptions, keys: String? = KeyOptions.environmentDirectory, ledger: Ledger, now: Timestamp
    ) throws(CLIFailure) -> EstateCredentials {
        do {
            return try CredentialVault(storeDirectory: options.storeDirectory, userKeys: keys)
                .credentials(for: ledger, validFrom: Date(timeIntervalSince1970: TimeInterval(now.secondsSince1970)))
        } catch {
            throw CLIFailure(error)
        }
    }

    /// Fails unless the credentials hold `organisation`'s Digital Signing key: a User's key is its
    /// own, and AnchorDesk acts for it only with the key from its key directory.
    static func requireSigningKey(of organisation: Organisation, in credentials: EstateCredentials) throws(CLIFailure) {
        guard !credentials.canSign(for: organisation) else { return }
        let file = UserKeyDirectory.fileStem(organisation.entityId) + "-ds.key"
        throw CLIFailure.badInput(
            "no private key for \(Presentation.safe(organisation.id)) (\(organisation.entityId)): a User signs with its own key; "
                + "put \(file) in a key directory and pass --keys DIR or set ANCHORDESK_KEYS", code: "no-user-key")
    }

    /// What the vault holds, without changing it (read-only commands); `nil` without a vault.
    static func read(_ options: CommonOptions, ledger: Ledger) throws(CLIFailure) -> CredentialMaterial? {
        do {
            return try CredentialVault(storeDirectory: options.storeDirectory).load(for: ledger)
        } catch {
            throw CLIFailure(error)
        }
    }
}
