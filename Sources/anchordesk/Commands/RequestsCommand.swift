import AnchorCore
import ArgumentParser
import DUISServer

/// `anchordesk requests`: the request log, oldest first.
struct RequestsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "requests", abstract: "Show the request log, oldest first.")

    @OptionGroup var options: CommonOptions

    @Option(help: "Only requests for this device.")
    var device: String?

    func run() throws {
        let id = try device.map { text throws(CLIFailure) in try Arguments.deviceID(text) }
        let records: [RequestRecord]
        if let id {
            records = try DeviceLogReading.log(of: id, options: options).requests
        } else if let connection = try options.operatorAPI() {
            let log: OperatorReplies.Requests = try OperatorCall.json(connection.get(OperatorAPIPath.requests), from: connection)
            records = log.requests
        } else {
            let store = try options.openForReading()
            defer { store.close() }
            records = Array(store.estate.ledger.requests)
        }
        options.emit(.object([("requests", .array(records.map(Presentation.request)))]), human: {
            var table = TextTable(headers: ["AT", "SRV", "DEVICE", "BY", "COUNTER", "OUTCOME", "REASON"])
            for record in records {
                table.rows.append([
                    record.at.description, record.service.rawValue, record.device.description,
                    Presentation.safe(record.requester), record.originatorCounter.description,
                    record.outcome.rawValue, record.reason?.rawValue ?? "",
                ])
            }
            return records.isEmpty ? ["no requests yet"] : table.lines()
        })
    }
}
