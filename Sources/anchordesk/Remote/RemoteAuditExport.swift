import DUISServer
import Foundation
import OperatorClient

/// `audit export --store https://…`: the DSP's audit trail as `audit export` writes it at the DSP,
/// each line printed as it arrives, once whole, as the export at the DSP prints it (display-safe,
/// whatever the DSP sends).
enum RemoteAuditExport {
    /// The longest line taken: an audit record is a few kilobytes; a DSP that sends no line end
    /// does not fill this machine's memory.
    static let longestLine = 16 << 20

    static func run(_ connection: OperatorConnection) throws(CLIFailure) {
        let lines = LinePrinter()
        _ = try OperatorCall.bytes(connection.stream(OperatorAPIPath.auditExport) { lines.take($0) }, from: connection)
        if let problem = lines.finish() { throw OperatorCall.unreadable(connection, problem) }
    }

    /// Prints whole lines from the chunks an answer arrives in.
    private final class LinePrinter: @unchecked Sendable {
        private var pending: [UInt8] = []
        private var problem: String?

        /// Prints the lines `chunk` completes; `false` once the answer cannot be an export.
        func take(_ chunk: [UInt8]) -> Bool {
            var start = 0
            for (index, byte) in chunk.enumerated() where byte == UInt8(ascii: "\n") {
                pending += chunk[start..<index]
                Console.out(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
                start = index + 1
            }
            pending += chunk[start...]
            if pending.count > RemoteAuditExport.longestLine { problem = "its export holds a line longer than \(RemoteAuditExport.longestLine) bytes" }
            return problem == nil
        }

        /// Why the export is not whole, if it is not.
        func finish() -> String? {
            problem ?? (pending.isEmpty ? nil : "its export ends inside a line (the connection was cut short?)")
        }
    }
}
