import AnchorCore
import ArgumentParser

/// `anchordesk report post-commissioning|counter-risk`: compliance and risk reports.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Compliance and counter-risk reports.",
        subcommands: [PostCommissioning.self, CounterRisk.self])

    /// Gives `source`'s rows to `each`: as they come when `order` is `nil` (the device order they
    /// are made in, so none is held), else all held and sorted once the last has come.
    static func rows<Row, Result>(
        in order: ((Row, Row) -> Bool)?, from source: @escaping ((Row) -> Void) throws(CLIFailure) -> Result, _ each: (Row) -> Void
    ) throws(CLIFailure) -> Result {
        guard let order else { return try source(each) }
        var held: [Row] = []
        let result = try source { held.append($0) }
        held.sort(by: order)
        for row in held { each(row) }
        return result
    }

    /// Writes a table, fitted to the terminal's width when stdout is one by leaving out whole
    /// columns in `dropOrder`, with a line naming any it left out.
    static func write(_ table: TextTable, dropOrder: [String], to output: inout BufferedOutput) {
        var table = table
        if let columns = TerminalWidth.ofStandardOutput() {
            let dropped = table.fit(in: columns, dropOrder: dropOrder)
            for line in table.lines() { output.line(line) }
            if !dropped.isEmpty {
                output.line("(\(dropped.joined(separator: ", ")) left out to fit \(columns) columns; --format csv has every column)")
            }
        } else {
            for line in table.lines() { output.line(line) }
        }
    }

    /// The CSV header, written before the first row, or at the end when there is none: a
    /// refusal before any row prints nothing.
    struct CSVHeader {
        let fields: [String]
        private(set) var written = false

        init(_ fields: [String]) {
            self.fields = fields
        }

        /// Writes the header unless it has been.
        mutating func write(to output: inout BufferedOutput) {
            guard !written else { return }
            output.csvLine(fields)
            written = true
        }
    }
}

extension PostCommissioningReport.Verdict: ExpressibleByArgument {}
extension PostCommissioningReport.NonCompliance: ExpressibleByArgument {}
extension PostCommissioningReport.Order: ExpressibleByArgument {}
extension CounterRiskReport.Risk: ExpressibleByArgument {}
extension CounterRiskReport.Order: ExpressibleByArgument {}
