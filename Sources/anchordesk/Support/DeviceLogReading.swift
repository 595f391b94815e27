import AnchorCore
import DUISServer

/// A device's recorded counters and requests, from the store or a DSP's operator API.
enum DeviceLogReading {
    static func log(of id: EUI64, options: CommonOptions) throws(CLIFailure) -> DeviceLog {
        if let connection = try options.operatorAPI() {
            return try OperatorCall.json(connection.get(OperatorAPIPath.devices + "/" + id.description + "/history"), from: connection)
        }
        let store = try options.openForReading()
        defer { store.close() }
        _ = try Arguments.device(id, in: store.estate)
        return DeviceLog(id, in: store.estate.ledger)
    }
}
