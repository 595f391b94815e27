import AnchorCore
import AnchorStore
import Foundation
import SMKI

/// Where the CLI gets the estate's SMKI credentials: the store's vault, completed for anything new.
enum Credentials {
    /// The credentials for the store in `options`, making keys and certificates for any the vault lacks.
    static func load(_ options: CommonOptions, ledger: Ledger, now: Timestamp) throws(CLIFailure) -> EstateCredentials {
        do {
            return try CredentialVault(storeDirectory: options.storeDirectory)
                .credentials(for: ledger, validFrom: Date(timeIntervalSince1970: TimeInterval(now.secondsSince1970)))
        } catch {
            throw CLIFailure(error)
        }
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
