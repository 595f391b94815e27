import AnchorStore
import ArgumentParser
import Foundation
import GBCS
import SMKI

/// `anchordesk gbcs decode HEX`: reads a GBCS message field by field.
struct GBCSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gbcs", abstract: "Work with GBCS messages.", subcommands: [Decode.self])

    /// Decodes a `DD`-wrapped command or a bare `DF 09` block.
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode a GBCS message: header, and CS02b/CS02d/CS02g commands, responses and alerts.",
            discussion: """
                HEX may contain spaces or newlines; '-' reads it from standard input. --verify checks the \
                signature against the originator's DS key, and a wrapped message's MAC (a command's with the \
                ACB's and the device's KA keys, a response's or alert's with the device's and the recipient's), \
                found in --keys DIR (laid out as DCC's keystores: <entity-id>-ds.pem, -ka.pem, -ka.key; a file \
                that cannot be read is a warning) or --store DIR, and names the keys it used. \
                Exit 0 when decoded and everything present verified, 1 when a signature or MAC is invalid \
                or could not be checked, 2 for bytes that are not a GBCS message.
                """)

        @Flag(help: "Print one JSON document on stdout.")
        var json = false

        @Flag(help: "Check the signature and the MAC.")
        var verify = false

        @Option(help: "A key directory for --verify (default: $ANCHORDESK_KEYS).")
        var keys: String?

        @Option(help: "A store whose SMKI folder and simulated devices' keys --verify may use.")
        var store: String?

        @Argument(help: "The message as hex (a DD-wrapped command or a bare DF 09 block), or - for standard input.")
        var hex: String

        func run() throws {
            let text = hex == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : hex
            let message: GBCSMessage
            do {
                message = try GBCSMessage.decode(try Hex.bytes(text))
            } catch {
                throw CLIFailure.badInput("cannot decode: \(error.description)", code: error.reason.hasPrefix("not hex") ? "bad-hex" : "bad-gbcs")
            }
            let verification = verify ? MessageVerification.check(message, keys: try verificationKeys()) : nil
            if json {
                Console.out(GBCSPresentation.json(message, verification: verification).rendered())
            } else {
                for line in GBCSPresentation.lines(message) { Console.out(line) }
                if let verification { Console.out(GBCSPresentation.line(verification)) }
            }
            if let verification, !verification.passed {
                Console.error("verification failed: signature \(verification.signature.rawValue), MAC \(verification.mac.rawValue)")
                throw CLIFailure(
                    exitCode: .rejected, code: "verification-failed",
                    message: "signature \(verification.signature.rawValue), MAC \(verification.mac.rawValue)")
            }
        }

        /// The keys of `--keys` (a file that cannot be read is a warning, never the end of the rest) and `--store`.
        private func verificationKeys() throws(CLIFailure) -> VerificationKeys {
            var keys = VerificationKeys()
            if let directory = self.keys ?? ProcessInfo.processInfo.environment["ANCHORDESK_KEYS"] {
                do {
                    for warning in try KeystoreDirectory(path: directory).addKeys(to: &keys) { Console.warn(Presentation.safe(warning)) }
                } catch {
                    throw CLIFailure.badInput("cannot read the key directory \(Presentation.safe(directory))", code: "bad-keys")
                }
            }
            if let store {
                let options: CommonOptions
                do {
                    options = try CommonOptions.parse(["--store", store])
                } catch {
                    throw CLIFailure.badInput("--store: \(Presentation.safe(store)) cannot name a store")
                }
                let estate = try options.openForReading().estate
                if let material = try Credentials.read(options, ledger: estate.ledger) { keys.addStore(material, estate: estate) }
            }
            return keys
        }
    }
}
