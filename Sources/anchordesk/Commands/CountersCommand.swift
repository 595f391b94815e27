import AnchorCore
import ArgumentParser

/// `anchordesk counters ID`: the device's recorded-counter history.
struct CountersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counters", abstract: "Show a device's recorded Network Operator counter and its history, oldest first.")

    @OptionGroup var options: CommonOptions

    @Argument(help: "The device ID.")
    var id: String

    func run() throws {
        let log = try DeviceLogReading.log(of: try Arguments.deviceID(id), options: options)
        let id = log.device
        let history = log.counterHistory
        options.emit(.object([
            ("device", .string(id.description)),
            ("recordedCounter", .optional(log.recordedCounter)),
            ("history", .array(history.map { entry in
                .object([
                    ("at", .string(entry.at.description)),
                    ("requestId", .string(entry.requestId)),
                    ("service", .string(entry.service.rawValue)),
                    ("counter", .string(entry.counter.description)),
                ])
            })),
        ]), human: {
            var table = TextTable(headers: ["AT", "SERVICE", "COUNTER", "REQUEST"])
            for entry in history {
                table.rows.append([entry.at.description, entry.service.rawValue, entry.counter.description, entry.requestId])
            }
            return ["\(id)  recorded counter: \(log.recordedCounter?.description ?? "none")"]
                + (history.isEmpty ? ["no counters recorded"] : table.lines())
        })
    }
}
