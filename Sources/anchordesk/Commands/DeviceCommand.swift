import AnchorCore
import ArgumentParser

/// `anchordesk device show ID`.
struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Show one device.", subcommands: [Show.self])

    /// `anchordesk device show ID`: its cells, floors and recorded counter.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a device's Trust Anchor Cells, floors and recorded counter.")

        @OptionGroup var options: CommonOptions

        @Argument(help: "The device ID, with or without hyphens.")
        var id: String

        func run() throws {
            let id = try Arguments.deviceID(id)
            let store = try options.openForReading()
            let ledger = store.estate.ledger
            let device = try Arguments.device(id, in: store.estate)
            options.emit(Presentation.deviceDetail(device, ledger), human: {
                var lines = [
                    "\(device.id)  \(device.type.rawValue)  supplier \(Presentation.safe(device.supplier))"
                        + "  commissioned \(device.commissionedAt?.dateOnly ?? "-")",
                    "recorded NO counter: \(ledger.recordedCounters[device.id]?.description ?? "none")",
                ]
                if let pending = ledger.pendingCommand(for: device.id) {
                    lines.append("scheduled: \(pending.handBack ? "hand-back" : "SRV6.15.1") \(Presentation.safe(pending.requestId)) by "
                        + "\(Presentation.safe(pending.sender)), counter \(pending.counter), due \(pending.dueAt) (nothing recorded until its alert)")
                }
                lines.append("")
                var cells = TextTable(headers: ["CELL", "ROLE", "USE", "OWNER", "CERTIFICATE"])
                for (cell, certificate) in device.cells.all {
                    let owner = certificate.flatMap { ledger.certificate($0)?.owner }
                    cells.rows.append([cell.rawValue, cell.role.label, cell.keyUsage.rawValue,
                                       owner.map(Presentation.safe) ?? "-", certificate.map(Presentation.safe) ?? "(empty)"])
                }
                lines += cells.lines() + [""]
                var floors = TextTable(headers: ["ROLE", "ANTI-REPLAY FLOOR"])
                for role in OrganisationRole.allCases { floors.rows.append([role.label, device.floors[role].description]) }
                return lines + floors.lines()
            })
        }
    }
}
