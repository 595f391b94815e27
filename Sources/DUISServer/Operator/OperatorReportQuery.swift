import AnchorCore
import Foundation

/// The reports' query strings on the operator API: the filters `anchordesk report` takes, so the
/// DSP keeps only the rows asked for (and bounds those, not the whole report's).
public enum OperatorReportQuery {
    /// `…/reports/counter-risk?reason=…&org=…`.
    public static func counterRisk(_ filter: CounterRiskReport.Filter) -> String {
        path(OperatorAPIPath.counterRisk, [("reason", filter.risk?.rawValue), ("org", filter.organisation)])
    }

    /// `…/reports/post-commissioning?asOf=…&verdict=…&reason=…&org=…`.
    public static func postCommissioning(asOf: Timestamp, _ filter: PostCommissioningReport.Filter) -> String {
        path(OperatorAPIPath.postCommissioning, [
            ("asOf", asOf.description), ("verdict", filter.verdict?.rawValue), ("reason", filter.reason?.rawValue), ("org", filter.organisation),
        ])
    }

    /// The counter-risk filter a query asks for.
    /// - Throws: 400 naming a `reason` that is no kind of risk.
    static func counterRiskFilter(_ parameter: (String) -> String?) throws(OperatorFailure) -> CounterRiskReport.Filter {
        CounterRiskReport.Filter(risk: try value("reason", parameter), organisation: parameter("org"))
    }

    /// The post-commissioning filter a query asks for.
    /// - Throws: 400 naming a `verdict` or `reason` that is none.
    static func postCommissioningFilter(_ parameter: (String) -> String?) throws(OperatorFailure) -> PostCommissioningReport.Filter {
        PostCommissioningReport.Filter(verdict: try value("verdict", parameter), reason: try value("reason", parameter), organisation: parameter("org"))
    }

    private static func value<Value: RawRepresentable & CaseIterable>(
        _ name: String, _ parameter: (String) -> String?
    ) throws(OperatorFailure) -> Value? where Value.RawValue == String {
        guard let text = parameter(name) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw .badRequest("\(name) must be one of " + Value.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    private static func path(_ base: String, _ items: [(String, String?)]) -> String {
        var components = URLComponents()
        components.queryItems = items.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        guard let query = components.percentEncodedQuery, !query.isEmpty else { return base }
        return base + "?" + query
    }
}
