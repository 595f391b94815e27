import AnchorCore
import AnchorStore
import ArgumentParser
import Crypto
import DUIS
import Foundation
import GBCS
import SMKI

/// `anchordesk duis`: what a User's tooling does around `serve`: write, sign and check DUIS.
struct DUISCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duis", abstract: "Write, sign and verify DUIS XML, as a User's tooling does for 'anchordesk serve'.",
        subcommands: [DUISRequestCommand.self, Sign.self, SignPreCommand.self, Verify.self])

    /// `duis sign FILE --as ORG`.
    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a DUIS request with an organisation's XML-signing key (<entity-id>-xml.key in its key directory).")

        @OptionGroup var options: CommonOptions
        @OptionGroup var keys: KeyOptions

        @Argument(help: "The unsigned XML, or - for standard input.")
        var file: String

        @Option(name: .customLong("as"), help: "The signing User.")
        var organisation: String

        func run() throws {
            let signer = try DUISSigner(options: options, keys: keys.directory, organisation: organisation)
            DUISFiles.write(try signer.signed(try DUISFiles.read(file)), json: options.json)
        }
    }

    /// `duis sign-pre-command RESPONSE --as ORG`: the CommandVariant 5 request for a CV4 answer.
    struct SignPreCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-pre-command",
            abstract: "Turn serviceT's I0 response into the signed CommandVariant 5 request: the pre-command signed with the User's Digital Signing key, the XML with its XML-signing key.")

        @OptionGroup var options: CommonOptions
        @OptionGroup var keys: KeyOptions

        @Argument(help: "The sr:Response holding PreCommand/GBCSPayload, or - for standard input.")
        var file: String

        @Option(name: .customLong("as"), help: "The User that sent the CommandVariant 4 request.")
        var organisation: String

        func run() throws {
            let signer = try DUISSigner(options: options, keys: keys.directory, organisation: organisation)
            let request = try signer.signedPreCommandRequest(from: try DUISFiles.read(file), source: file, shownAs: organisation)
            DUISFiles.write(request, json: options.json)
        }
    }

    /// `duis verify FILE`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a signed DUIS request or response against the store's XML-signing certificates.",
            discussion: "Exit 0 when the signature verifies, 1 when it does not, 2 for a file that is not XML.")

        @OptionGroup var options: CommonOptions

        @Argument(help: "The signed XML, or - for standard input.")
        var file: String

        func run() throws {
            let bytes = try DUISFiles.read(file)
            let certificates: [EUI64: OrganisationCertificate]
            do {
                certificates = try CredentialVault(storeDirectory: options.storeDirectory).loadXMLSigningCertificates()
            } catch {
                throw CLIFailure(error)
            }
            var signer: OrganisationCertificate?
            do {
                _ = try XMLSignature.verify(bytes) { name throws(XMLSignatureError) in
                    guard let certificate = XMLSigningCredentials.certificate(among: certificates.values, issuer: name.issuer, serial: name.serial),
                          let key = certificate.publicKey
                    else {
                        throw .unknownSigner("no XML-signing certificate of that issuer and serial in the store's Repository")
                    }
                    signer = certificate
                    return key
                }
            } catch .malformed(let why) {
                throw CLIFailure.badInput("refused \(Presentation.safe(file)): \(why)", code: "bad-xml")
            } catch {
                // Exit 1 prints no error of its own (a rejection's document comes first): say it here.
                if options.json {
                    Console.out(JSONValue.object([("verified", .bool(false)), ("reason", .string(error.description))]).rendered())
                }
                Console.error(error.description)
                throw CLIFailure(exitCode: .rejected, code: "signature-invalid", message: error.description)
            }
            let entity = signer?.entityId?.description ?? "?"
            let role = signer?.xmlSigningRole == .dsp ? "the DSP" : "a User"
            options.emit(.object([("verified", .bool(true)), ("signer", .string(entity)), ("role", .string(signer?.xmlSigningRole == .dsp ? "dsp" : "user"))]),
                         human: { ["verified: signed by \(entity) (\(role)'s XML-signing certificate, serial \(signer?.decimalSerial ?? "?"))"] })
        }
    }
}
