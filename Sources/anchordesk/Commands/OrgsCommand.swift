import AnchorCore
import ArgumentParser

/// `anchordesk orgs`: organisations, roles, DCC User status and certificates.
struct OrgsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orgs", abstract: "List organisations, their roles, DCC User status and certificates.")

    @OptionGroup var options: CommonOptions

    func run() throws {
        let reading = try OrganisationsReading.read(options, issued: true)
        let ledger = reading.ledger
        options.emit(.object([("orgs", .array(ledger.organisations.map { Presentation.organisation($0, ledger, issued: reading.issued) }))]), human: {
            var table = TextTable(headers: ["ID", "NAME", "ROLE", "ENTITY ID", "DCC USER", "CERTIFICATES"])
            for organisation in ledger.organisations {
                let certificates = ledger.certificates(ownedBy: organisation.id).map { certificate in
                    Presentation.safe(certificate.id) + (certificate.revoked ? " (revoked)" : certificate.inRepository ? "" : " (not in repository)")
                }
                table.rows.append([
                    Presentation.safe(organisation.id), Presentation.safe(organisation.name), organisation.role.label,
                    organisation.entityId.description, organisation.dccUser ? "yes" : "no",
                    certificates.isEmpty ? "-" : certificates.joined(separator: ", "),
                ])
            }
            return table.lines()
        })
    }
}
