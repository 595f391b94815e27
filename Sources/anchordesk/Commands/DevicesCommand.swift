import AnchorCore
import ArgumentParser

/// `anchordesk devices`: lists devices, optionally filtered.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List devices.",
        discussion: "Filter terms (all must match): no=ORG, supplier=ORG, type=GPF, counter, or part of a device ID.")

    @OptionGroup var options: CommonOptions

    @Option(help: "Only devices matching this expression.")
    var filter: String?

    @Option(help: "Show at most this many devices.")
    var limit: Int?

    func run() throws {
        let filter = try Arguments.filter(filter)
        if let limit, limit < 0 { throw CLIFailure.badInput("--limit must be 0 or more") }
        let store = try options.openForReading()
        let ledger = store.estate.ledger
        let matching = store.estate.devices.devices.filter { filter.matches($0, in: ledger) }
        let shown = matching.prefix(limit ?? matching.count)
        options.emit(.object([
            ("devices", .array(shown.map { .object(Presentation.deviceSummary($0, ledger)) })),
            ("total", .integer(matching.count)),
        ]), human: {
            var table = TextTable(headers: ["DEVICE", "TYPE", "SUPPLIER", "NO CELL", "RECORDED", "LAST REQUEST"])
            for device in shown {
                let last = ledger.lastRequest(for: device.id).map { "\($0.service.rawValue) \($0.outcome.rawValue)" } ?? "-"
                table.rows.append([
                    device.id.description, device.type.rawValue, Presentation.safe(device.supplier),
                    Presentation.networkOperatorOwner(device, ledger).map(Presentation.safe) ?? "(empty)",
                    ledger.recordedCounters[device.id]?.description ?? "-", last,
                ])
            }
            return table.lines() + ["\(shown.count) of \(matching.count) matching devices (\(store.estate.devices.count) in the store)"]
        })
    }
}
