import AnchorCore
import AnchorStore
import ArgumentParser
import SMKI

extension CertCommand {
    /// `cert move-to-token`: the ACB's private keys into a PKCS#11 token, out of every file.
    struct MoveToToken: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "move-to-token",
            abstract: "Move the ACB's private keys into the PKCS#11 token that ANCHORDESK_PKCS11_* names, and delete their files.",
            discussion: """
                The token is named by ANCHORDESK_PKCS11_MODULE (the module, such as \
                /usr/lib/softhsm/libsofthsm2.so), ANCHORDESK_PKCS11_TOKEN (its label) and ANCHORDESK_PKCS11_PIN_FILE \
                (a file only its owner may read, holding the user PIN). Each key is imported as a private, sensitive, \
                non-extractable key labelled as its file is named (<acb>-ds, <acb>-ka); the pair is checked in the token \
                against the ACB's certificates; only then are the files deleted (on PostgreSQL, from the database's copy \
                too). From then on every command that signs or MACs as the ACB does so in the token, and needs the same \
                three variables.
                """)

        @OptionGroup var options: CommonOptions

        func run() throws {
            guard let settings = try CommonOptions.acbToken() else {
                throw CLIFailure.badInput(
                    "name the token with \(PKCS11Settings.moduleVariable), \(PKCS11Settings.tokenVariable) and \(PKCS11Settings.pinFileVariable)",
                    code: "no-token")
            }
            let ledger = try options.openForReading().estate.ledger
            var moved: [String] = []
            try options.changeKeys { () throws(StoreError) in
                moved = try CredentialVault(storeDirectory: options.storeDirectory).moveACBKeys(into: settings, ledger: ledger)
            }
            let safe = Presentation.safe
            options.emit(.object([
                ("token", .string(safe(settings.tokenLabel))), ("deleted", .array(moved.map { .string(safe($0)) })),
            ]), human: {
                ["moved the ACB's private keys into the token '\(safe(settings.tokenLabel))'"] + moved.map { "deleted \(safe($0))" }
            })
        }
    }
}
