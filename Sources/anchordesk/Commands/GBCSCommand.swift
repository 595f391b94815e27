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
            abstract: "Decode a GBCS message: general header, and a CS02b command, response or refusal.",
            discussion: "HEX may contain spaces or newlines; '-' reads it from standard input.")

        @Flag(help: "Print one JSON document on stdout.")
        var json = false

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
            if json {
                Console.out(GBCSPresentation.json(message).rendered())
            } else {
                for line in GBCSPresentation.lines(message) { Console.out(line) }
            }
        }
    }
}
