import AnchorStore
import ArgumentParser
import DUISServer

/// `anchordesk whoami --store https://…`: which operator the DSP takes this machine's client
/// certificate to be, and whom it may act for.
struct WhoamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "Show which operator a DSP's operator API takes your client certificate for, and its grants.")

    @OptionGroup var options: CommonOptions

    func run() throws {
        guard let connection = try options.operatorAPI() else {
            throw CLIFailure.badInput("whoami asks a DSP's operator API: give --store https://HOST:PORT", code: "not-an-operator-api")
        }
        let grant: OperatorGrants.Grant = try OperatorCall.json(connection.get(OperatorAPIPath.whoami), from: connection)
        options.emit(.object([
            ("subject", .string(Presentation.safe(grant.subject))),
            ("organisations", .array(grant.organisations.map { .string(Presentation.safe($0)) })),
            ("dcc", .bool(grant.dcc)),
        ]), human: {
            ["\(Presentation.safe(grant.subject)) at \(Presentation.safe(connection.address))",
             "may act for: " + (grant.organisations.isEmpty ? "no organisation" : grant.organisations.map(Presentation.safe).joined(separator: ", ")),
             grant.dcc ? "may take the DCC's actions" : "may not take the DCC's actions"]
        })
    }
}
