import AnchorCore
import AnchorStore
import ArgumentParser
import SMKI

extension CertCommand {
    /// `cert move-to-token`: the DCC's organisations' private keys into a PKCS#11 token, out of every file.
    struct MoveToToken: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "move-to-token",
            abstract: "Move the DCC's private keys (the ACB's, Recovery's, Root's...) into the PKCS#11 token ANCHORDESK_PKCS11_* names, and delete their files.",
            discussion: """
                The token is named by ANCHORDESK_PKCS11_MODULE (the module, such as \
                /usr/lib/softhsm/libsofthsm2.so), ANCHORDESK_PKCS11_TOKEN (its label) and ANCHORDESK_PKCS11_PIN_FILE \
                (a file only its owner may read, holding the user PIN). Each private key the vault holds for one of the DCC's \
                organisations (the ACB's two, Recovery's, Root's, the Transitional CoS Party's, the CSP's) is imported as \
                a private, sensitive, non-extractable key labelled as its file is named (dcc-acb-ds, dcc-acb-ka...); each \
                is checked in the token against its certificate; the vault records the token and the keys \
                (smki/token-keys); only then are the files deleted (on PostgreSQL the database never held them). From \
                then on every command that signs or MACs as those organisations does so in the token, and needs the \
                same three variables.
                """)

        @OptionGroup var options: CommonOptions

        func run() throws {
            guard let settings = try CommonOptions.keyToken() else {
                throw CLIFailure.badInput(
                    "name the token with \(PKCS11Settings.moduleVariable), \(PKCS11Settings.tokenVariable) and \(PKCS11Settings.pinFileVariable)",
                    code: "no-token")
            }
            let ledger = try options.openForReading().estate.ledger
            // The demo CAs' keys and the simulated devices' seed stay files: they stand for what a
            // real DCC does not hold (the CAs') or what devices hold themselves.
            var moved: [String] = []
            try options.changeKeys { () throws(StoreError) in
                moved = try CredentialVault(storeDirectory: options.storeDirectory).moveDCCKeys(into: settings, ledger: ledger)
            }
            let safe = Presentation.safe
            options.emit(.object([
                ("token", .string(safe(settings.tokenLabel))), ("deleted", .array(moved.map { .string(safe($0)) })),
            ]), human: {
                ["moved the DCC's private keys into the token '\(safe(settings.tokenLabel))'"] + moved.map { "deleted \(safe($0))" }
            })
        }
    }
}
