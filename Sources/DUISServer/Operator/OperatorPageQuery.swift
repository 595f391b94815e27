import AnchorCore
import AnchorStore
import Foundation

/// What a remote console asks of `GET …/pages`: where the page starts, its filter, its order
/// and its size, as query parameters (`start=first|last|after:ID|before:ID|at:ID`,
/// `filter=EXPRESSION`, `sort=COLUMN` or `-COLUMN` descending, `limit=N`).
public struct OperatorPageQuery: Sendable, Equatable {
    public var start: DevicePageStart
    public var filter: DeviceFilter
    public var sort: DeviceSort
    public var limit: Int

    /// The most devices a page holds.
    public static let maximumLimit = 5_000

    /// A query.
    public init(start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort, limit: Int) {
        self.start = start
        self.filter = filter
        self.sort = sort
        self.limit = limit
    }

    /// The query's parameters, for the URL.
    public var queryItems: [URLQueryItem] {
        let start: String = switch self.start {
        case .first: "first"
        case .last: "last"
        case .after(let id): "after:" + id.description
        case .before(let id): "before:" + id.description
        case .at(let id): "at:" + id.description
        }
        var items = [URLQueryItem(name: "start", value: start), URLQueryItem(name: "limit", value: String(limit))]
        if !filter.terms.isEmpty { items.append(URLQueryItem(name: "filter", value: filter.expression)) }
        if let column = sort.column {
            items.append(URLQueryItem(name: "sort", value: (sort.ascending ? "" : "-") + Self.names[column.rawValue]))
        } else if !sort.ascending {
            items.append(URLQueryItem(name: "sort", value: "-"))
        }
        return items
    }

    /// The path a client asks for the page at: ``OperatorAPIPath/pages`` with ``queryItems``.
    public var path: String {
        var components = URLComponents()
        components.queryItems = queryItems
        return OperatorAPIPath.pages + "?" + (components.percentEncodedQuery ?? "")
    }

    /// The columns as the query names them, in ``AnchorCore/DeviceColumn`` order.
    static let names = ["id", "type", "supplier", "no", "counter", "last-request"]

    /// Reads the query parameters `value(name)` gives.
    /// - Throws: ``RequestError/invalidRequest(_:)`` naming what it could not read.
    public init(parameters value: (String) -> String?) throws(RequestError) {
        let startText = value("start") ?? "first"
        switch startText {
        case "first": start = .first
        case "last": start = .last
        default:
            let parts = startText.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = EUI64(parts[1]) else {
                throw .invalidRequest("start must be first, last, after:ID, before:ID or at:ID")
            }
            switch parts[0] {
            case "after": start = .after(id)
            case "before": start = .before(id)
            case "at": start = .at(id)
            default: throw .invalidRequest("start must be first, last, after:ID, before:ID or at:ID")
            }
        }
        filter = try value("filter").map { text throws(RequestError) in try DeviceFilter(parsing: text) } ?? .all
        let sortText = value("sort") ?? ""
        let ascending = !sortText.hasPrefix("-")
        let name = ascending ? sortText : String(sortText.dropFirst())
        if name.isEmpty {
            sort = DeviceSort(column: nil, ascending: ascending)
        } else if let position = Self.names.firstIndex(of: name), let column = DeviceColumn(rawValue: position) {
            sort = DeviceSort(column: column, ascending: ascending)
        } else {
            throw .invalidRequest("sort must be one of \(Self.names.joined(separator: ", ")), '-' before it for descending")
        }
        let limitText = value("limit") ?? "500"
        guard let limit = Int(limitText), (0...Self.maximumLimit).contains(limit) else {
            throw .invalidRequest("limit must be a whole number from 0 to \(Self.maximumLimit)")
        }
        self.limit = limit
    }
}
