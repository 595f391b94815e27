import ArgumentParser
import Foundation
import GBCS

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
                signature against the originator's DS key and a wrapped command's MAC against the ACB's and \
                the device's KA keys, found in --keys DIR (<entity-id>-ds.pem, -ka.pem, -ka.key) or --store DIR. \
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
            let verification = verify ? GBCSVerification.check(message, keys: try keySource()) : nil
            if json {
                Console.out(GBCSPresentation.json(message, verification: verification).rendered())
            } else {
                for line in GBCSPresentation.lines(message) { Console.out(line) }
                if let verification {
                    Console.out("verification: signature \(verification.signature.rawValue), MAC \(verification.mac.rawValue)")
                }
            }
            if let verification, !verification.passed {
                Console.error("verification failed: signature \(verification.signature.rawValue), MAC \(verification.mac.rawValue)")
                throw CLIFailure(
                    exitCode: .rejected, code: "verification-failed",
                    message: "signature \(verification.signature.rawValue), MAC \(verification.mac.rawValue)")
            }
        }

        private func keySource() throws(CLIFailure) -> GBCSKeySource {
            var source = GBCSKeySource()
            if let directory = keys ?? ProcessInfo.processInfo.environment["ANCHORDESK_KEYS"] { try source.addDirectory(directory) }
            if let store {
                let options: CommonOptions
                do {
                    options = try CommonOptions.parse(["--store", store])
                } catch {
                    throw CLIFailure.badInput("--store: \(Presentation.safe(store)) cannot name a store")
                }
                let estate = try options.openForReading().estate
                if let material = try Credentials.read(options, ledger: estate.ledger) { source.addStore(material, estate: estate) }
            }
            return source
        }
    }
}
