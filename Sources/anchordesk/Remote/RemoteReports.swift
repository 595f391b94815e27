import AnchorCore
import DUISServer
import OperatorClient

/// `report counter-risk|post-commissioning --store https://…`: the DSP reads the report as
/// `anchordesk report` reads it and keeps the rows the filter asks for (at most the operator
/// API's bound); they are given here one at a time in device-ID order, and counted as the
/// report at the DSP counts them.
enum RemoteReports {
    /// The counter-risk rows `filter` keeps, to `each`; their summary.
    static func counterRisk(
        _ filter: CounterRiskReport.Filter, through connection: OperatorConnection, _ each: (CounterRiskReport.Row) -> Void
    ) throws(CLIFailure) -> CounterRiskReport.Summary {
        let read: OperatorReplies.Rows<CounterRiskReport.Row> = try OperatorCall.json(
            connection.get(OperatorReportQuery.counterRisk(filter)), from: connection)
        var summary = CounterRiskReport.Summary(nextGenerated: read.nextGenerated)
        for row in read.rows {
            summary.count(row)
            each(row)
        }
        return summary
    }

    /// The post-commissioning rows as of `asOf` that `filter` keeps, to `each`; their totals.
    static func postCommissioning(
        asOf: Timestamp, _ filter: PostCommissioningReport.Filter, through connection: OperatorConnection,
        _ each: (PostCommissioningReport.Row) -> Void
    ) throws(CLIFailure) -> PostCommissioningReport.Totals {
        let read: OperatorReplies.Rows<PostCommissioningReport.Row> = try OperatorCall.json(
            connection.get(OperatorReportQuery.postCommissioning(asOf: asOf, filter)), from: connection)
        var totals = PostCommissioningReport.Totals()
        for row in read.rows {
            totals.count(row)
            each(row)
        }
        return totals
    }
}
