import AnchorCore
import AnchorStore
import ArgumentParser
import DUISServer
import Foundation

/// `anchordesk devices`: lists devices, optionally filtered.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List devices.",
        discussion: "Filter terms (all must match): no=ORG, supplier=ORG, type=GPF, counter, or part of a device ID.")

    @OptionGroup var options: CommonOptions

    @Option(help: "Only devices matching this expression.")
    var filter: String?

    @Option(parsing: .unconditional, help: "Show at most this many devices.")
    var limit: Int?

    func run() throws {
        let filter = try Arguments.filter(filter)
        if let limit, limit < 0 { throw CLIFailure.badInput("--limit must be 0 or more") }
        let listing = try remoteList() ?? list(filter)
        let shown = listing.devices
        options.emit(.object([
            ("devices", .array(shown.map { .object(Presentation.deviceSummary($0)) })),
            ("total", .integer(listing.matching)),
        ]), human: {
            var table = TextTable(headers: ["DEVICE", "TYPE", "SUPPLIER", "NO CELL", "RECORDED", "LAST REQUEST"])
            for view in shown {
                let device = view.device
                let last = view.lastRequest.map { "\($0.service.rawValue) \($0.outcome.rawValue)" } ?? "-"
                table.rows.append([
                    device.id.description, device.type.rawValue, Presentation.safe(device.supplier),
                    view.networkOperatorOwner.map(Presentation.safe) ?? "(empty)", view.recordedCounter?.description ?? "-", last,
                ])
            }
            return table.lines() + ["\(shown.count) of \(listing.matching) matching devices (\(listing.inStore) in the store)"]
        })
    }

    /// The devices as a DSP's operator API lists them, when the store is one.
    private func remoteList() throws(CLIFailure) -> OperatorReplies.Devices? {
        guard let connection = try options.operatorAPI() else { return nil }
        var query = URLComponents()
        query.queryItems = [filter.map { URLQueryItem(name: "filter", value: $0) }, limit.map { URLQueryItem(name: "limit", value: String($0)) }]
            .compactMap { $0 }
        return try OperatorCall.json(connection.get(OperatorAPIPath.devices + (query.percentEncodedQuery.map { "?" + $0 } ?? "")), from: connection)
    }

    /// A store that hands out its devices a page at a time (PostgreSQL) answers from its device
    /// table, a page at a time, reading no more than it shows; a store directory is read whole.
    private func list(_ filter: DeviceFilter) throws(CLIFailure) -> OperatorReplies.Devices {
        if let pages = try options.backend() as? any DevicePaging {
            var shown: [DeviceView] = []
            var start = DevicePageStart.first
            var counts = (matching: 0, inStore: 0)
            let wanted = limit ?? Int.max
            repeat {
                // The first page is read even for --limit 0: it holds the counts (and checks the login).
                let size = min(500, max(1, wanted - shown.count))
                let page: DevicePage
                do {
                    page = try pages.page(start, filter: filter, sort: DeviceSort(), limit: size)
                } catch {
                    throw CLIFailure(error)
                }
                if case .first = start {
                    // The page's ledger is the database's organisations and certificates (its snapshot's head).
                    try Arguments.checkNames(filter, in: page.preview.estate.ledger)
                    for warning in pages.warnings { Console.warn(warning) }
                }
                counts = (page.matching, page.preview.deviceCount)
                let estate = page.preview.estate
                shown += estate.devices.prefix(wanted - shown.count).map { DeviceView($0, in: estate.ledger) }
                guard let last = estate.devices.last, estate.devices.count == size, shown.count < wanted else { break }
                start = .after(last.id)
            } while true
            return OperatorReplies.Devices(devices: shown, matching: counts.matching, inStore: counts.inStore)
        }
        let store = try options.openForReading()
        defer { store.close() }
        let estate = store.estate
        try Arguments.checkNames(filter, in: estate.ledger)
        // Positions from the device index: a store's rows are read only for the devices shown.
        let index = filter.terms.isEmpty ? nil : DeviceIndex(devices: estate.devices, ledger: estate.ledger)
        let matching = DeviceList.rows(estate, index: index, filter: filter, sort: DeviceSort())
        return OperatorReplies.Devices(devices: matching.prefix(limit ?? matching.count).map { DeviceView(estate.devices[Int($0)], in: estate.ledger) },
                                       matching: matching.count, inStore: estate.devices.count)
    }
}
