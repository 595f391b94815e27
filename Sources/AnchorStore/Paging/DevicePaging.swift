import AnchorCore

/// Where a page of devices starts, in the order it is read in.
public enum DevicePageStart: Hashable, Sendable {
    /// The first devices.
    case first
    /// The devices just after this one.
    case after(EUI64)
    /// The devices just before this one.
    case before(EUI64)
    /// This device and those after it (a jump to a device).
    case at(EUI64)
    /// The last devices.
    case last
}

/// A page of a store's devices, read from where the store keeps them without reading the
/// whole estate: what the console shows while a store too large to read in a moment is read.
/// Like ``StorePreview``, it is never acted on.
public struct DevicePage: Sendable {
    /// The organisations (with their last counters) and certificates, with this page's devices
    /// as they are now and their histories (requests, counters, schedule, alerts);
    /// ``StorePreview/deviceCount`` is how many devices the store holds.
    public var preview: StorePreview
    /// The filter the page was read with.
    public var filter: DeviceFilter
    /// The order the page was read in.
    public var sort: DeviceSort
    /// How many devices match the filter.
    public var matching: Int
    /// Where the page was asked to start.
    public var start: DevicePageStart
    /// The most devices the page could hold: a page holding fewer is the last one that way.
    public var limit: Int

    /// A page.
    public init(preview: StorePreview, filter: DeviceFilter, sort: DeviceSort = DeviceSort(), matching: Int, start: DevicePageStart, limit: Int) {
        self.preview = preview
        self.filter = filter
        self.sort = sort
        self.matching = matching
        self.start = start
        self.limit = limit
    }
}

/// A store that can hand out its devices a page at a time (the PostgreSQL backend's device
/// table), so a console can show and page through an estate of millions at once.
public protocol DevicePaging: Sendable {
    /// What the store warns of about keeping what it acknowledges, known once a page or count
    /// has been read.
    var warnings: [String] { get }
    /// How many devices the store holds, from what the store keeps counted (no pass over them).
    func deviceCount() throws(StoreError) -> Int
    /// Up to `limit` devices matching `filter` from `start` (a device of the order's), in the
    /// order `sort` gives. `no=ORG` alone in device ID order is a few index reads however large
    /// the estate; other terms cost a pass over the rows they match, to count them (once while
    /// nothing is committed), and another order a pass to sort them, each page.
    func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort, limit: Int) throws(StoreError) -> DevicePage
    /// How many devices hold any of each organisation's certificates in any cell, by
    /// organisation ID (``AnchorCore/Estate/devicesHoldingCertificates(of:)``), from what the
    /// store keeps counted: no pass over the devices.
    func holdings() throws(StoreError) -> [String: Int]
    /// Whether a future-dated command is due at `now` or an alert waits to be processed, from
    /// what the store keeps indexed: no pass over the devices.
    func hasDueAlertWork(at now: Timestamp) throws(StoreError) -> Bool
}
