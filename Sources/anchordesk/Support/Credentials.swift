import AnchorCore
import AnchorStore
import Foundation
import GBCS
import SMKI

/// What the CLI's read-only commands read of the store's SMKI credentials (the use cases load theirs through the service).
enum Credentials {
    /// What the vault holds, without changing it (read-only commands); `nil` without a vault.
    static func read(_ options: CommonOptions, ledger: Ledger) throws(CLIFailure) -> CredentialMaterial? {
        do {
            return try CredentialVault(storeDirectory: options.storeDirectory).load(for: ledger)
        } catch {
            throw CLIFailure(error)
        }
    }
}
