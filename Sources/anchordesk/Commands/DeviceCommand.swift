import AnchorCore
import ArgumentParser
import DUISServer

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
            let view = try remoteView(id) ?? localView(id)
            let device = view.device
            options.emit(Presentation.deviceDetail(view), human: {
                var lines = [
                    "\(device.id)  \(device.type.rawValue)  supplier \(Presentation.safe(device.supplier))"
                        + "  commissioned \(device.commissionedAt?.dateOnly ?? "-")",
                    "recorded NO counter: \(view.recordedCounter?.description ?? "none")",
                ]
                if let pending = view.scheduled {
                    lines.append("scheduled: \(pending.handBack ? "hand-back" : "SRV6.15.1") \(Presentation.safe(pending.requestId)) by "
                        + "\(Presentation.safe(pending.sender)), counter \(pending.counter), due \(pending.dueAt) (nothing recorded until its alert)")
                }
                lines.append("")
                var cells = TextTable(headers: ["CELL", "ROLE", "USE", "OWNER", "CERTIFICATE"])
                for (cell, certificate) in device.cells.all {
                    let owner = certificate.flatMap { view.cellOwners[$0] }
                    cells.rows.append([cell.rawValue, cell.role.label, cell.keyUsage.rawValue,
                                       owner.map(Presentation.safe) ?? "-", certificate.map(Presentation.safe) ?? "(empty)"])
                }
                lines += cells.lines() + [""]
                var floors = TextTable(headers: ["ROLE", "ANTI-REPLAY FLOOR"])
                for role in OrganisationRole.allCases { floors.rows.append([role.label, device.floors[role].description]) }
                return lines + floors.lines()
            })
        }

        /// The device as the store shows it.
        private func localView(_ id: EUI64) throws(CLIFailure) -> DeviceView {
            let store = try options.openForReading()
            defer { store.close() }
            return DeviceView(try Arguments.device(id, in: store.estate), in: store.estate.ledger)
        }

        /// The device as a DSP's operator API shows it, when the store is one.
        private func remoteView(_ id: EUI64) throws(CLIFailure) -> DeviceView? {
            guard let connection = try options.operatorAPI() else { return nil }
            return try OperatorCall.json(connection.get(OperatorAPIPath.devices + "/" + id.description), from: connection)
        }
    }
}
