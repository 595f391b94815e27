import AnchorCore

/// A full-screen view; the navigation stack holds these, so Esc goes back to the previous one.
public enum Screen: Hashable, Sendable {
    case devices
    case device(EUI64)
    case counters(EUI64)
    /// The request log, for one device or (nil) all of them.
    case requests(EUI64?)
    case organisations
    /// One organisation: its lifecycle state, certificates, devices and lifecycle log.
    case organisation(String)
    /// The post-commissioning and counter-risk reports.
    case reports

    /// The breadcrumb label.
    public var title: String {
        switch self {
        case .devices: "Devices"
        case .device(let id): id.description
        case .counters: "Counters"
        case .requests(let device): device == nil ? "Request log" : "Requests"
        case .organisations: "Organisations"
        case .organisation(let id): id
        case .reports: "Reports"
        }
    }

    /// The views `Tab` and `Shift-Tab` go round, each the top of its own drill-down.
    public static let topLevel: [Screen] = [.devices, .requests(nil), .organisations, .reports]

    /// How the status line names the view.
    public var viewName: String {
        switch self {
        case .devices: "the devices list"
        case .device: "a device's page"
        case .counters: "the counter history"
        case .requests(let device): device == nil ? "the request log" : "a device's requests"
        case .organisations: "the organisations list"
        case .organisation: "an organisation's page"
        case .reports: "the reports"
        }
    }

    /// The device a screen is about, if any.
    public var device: EUI64? {
        switch self {
        case .device(let id), .counters(let id): id
        case .requests(let id): id
        case .devices, .organisations, .organisation, .reports: nil
        }
    }
}

/// The terminal's size in cells.
public struct Size: Hashable, Sendable {
    public var columns: Int
    public var rows: Int

    /// Creates a size.
    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    /// The smallest size the console is designed for.
    public static let minimum = Size(columns: 80, rows: 24)
}

/// A selection and scroll position in a list.
public struct ListCursor: Hashable, Sendable {
    /// The selected row.
    public var selected = 0
    /// The first row shown.
    public var offset = 0

    /// Creates a cursor.
    public init(selected: Int = 0, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Moves the selection, keeping it inside the list and on screen.
    public mutating func move(to row: Int, count: Int, viewport: Int) {
        selected = max(0, min(row, count - 1))
        clamp(count: count, viewport: viewport)
    }

    /// Keeps the selection and offset valid for a list of `count` rows shown `viewport` at a time.
    public mutating func clamp(count: Int, viewport: Int) {
        let viewport = max(1, viewport)
        selected = max(0, min(selected, count - 1))
        if selected < offset { offset = selected }
        if selected >= offset + viewport { offset = selected - viewport + 1 }
        offset = max(0, min(offset, max(0, count - viewport)))
    }
}

/// A message in the status line; it clears itself after a few ticks unless it is sticky.
///
/// A message belongs to the view that raised it: the update function stamps it with the
/// screen shown, and drops it when another view is shown. Messages about the whole console
/// (the store loaded or failed, pages being read) belong to no view and stay.
public struct StatusMessage: Hashable, Sendable {
    /// How serious it is.
    public enum Level: Hashable, Sendable { case info, warning, error }

    public var text: String
    public var level: Level
    /// Ticks left before it clears; `nil` keeps it until replaced.
    public var ticksLeft: Int?
    /// About the whole console, not one view: it stays when the view changes.
    public var consoleWide: Bool
    /// The view it was raised on; `nil` until the update function stamps it (and for console-wide ones).
    public var view: Screen?

    /// Creates a message that clears after `ticks` ticks (`nil`: sticky).
    public init(_ text: String, level: Level = .info, ticks: Int? = 6, consoleWide: Bool = false) {
        self.text = text
        self.level = level
        ticksLeft = ticks
        self.consoleWide = consoleWide
    }
}
