import AnchorCore
import AnchorStore
import Foundation
import GBCS
import SMKI

/// What the CLI's read-only commands read of the store's SMKI credentials (the use cases load theirs through the service).
enum Credentials {
    /// A private key file's PEM text, read as ``PrivateKeyFile`` reads one (exit 3 naming a file
    /// others may read); `nil` when there is no such file.
    static func privateKeyPEM(at path: String) throws(CLIFailure) -> String? {
        do {
            return try PrivateKeyFile.read(path, followingLinks: true).map { String(decoding: $0, as: UTF8.self) }
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
