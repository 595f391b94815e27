import AnchorCore
import AnchorStore

/// The page of devices shown of a store too large to read whole: what it was read with, how
/// many match, and where it started.
public struct PagedDevices: Hashable, Sendable {
    /// The filter the page was read with, and its text as typed.
    public var filter: DeviceFilter
    public var filterText: String
    /// The order the page was read in.
    public var sort: DeviceSort
    /// How many devices match the filter.
    public var matching: Int
    /// Where the page was asked to start.
    public var start: DevicePageStart
    /// No device matching the filter comes before the page's first.
    public var startsAtFirst: Bool
    /// No device matching the filter comes after the page's last.
    public var endsAtLast: Bool

    /// Where a page stands: a page holding fewer devices than it could ends the way it was read.
    init(_ page: DevicePage, filterText: String) {
        filter = page.filter
        self.filterText = filterText
        sort = page.sort
        matching = page.matching
        start = page.start
        let short = page.preview.estate.devices.count < page.limit
        switch page.start {
        case .first: (startsAtFirst, endsAtLast) = (true, short)
        case .after, .at: (startsAtFirst, endsAtLast) = (false, short)
        case .before: (startsAtFirst, endsAtLast) = (short, false)
        case .last: (startsAtFirst, endsAtLast) = (short, true)
        }
    }
}

/// Paging through a store too large to read whole (the PostgreSQL backend's device table): the
/// table's keys move within the page and read the next or previous page at its ends; `/`
/// filters and `s`, `S`, `1`-`6` sort, each read from the database. The page holds its devices
/// with their histories, so their pages, counters and requests, the launcher and marks work
/// on it; the organisations' counts (and a lifecycle dialog's) and the reports are read from
/// the database; a Recovery Event, which needs the whole estate in memory, is refused with the
/// CLI command that does it, unless the pages come from a DSP, which plans it.
extension Update {
    /// Shows a page, unless the operator has since asked for another filter or order
    /// (``AppState/filter`` and ``AppState/sort`` are what was asked for; ``PagedDevices`` says
    /// what the page shown was read with). The same page read again (another operator
    /// committed) keeps the device selected and the scroll.
    static func showPage(_ page: DevicePage, _ state: inout AppState) {
        guard state.paging != nil || state.estate == nil, page.filter == state.filter, page.sort == state.sort else { return }
        let devices = page.preview.estate.devices
        // The page that starts at a device asked for (`:ID`, Enter on a report's row).
        var jumped: StatusMessage?
        if case .at(let id) = page.start, state.screen.device == id {
            if page.preview.estate.devices[id] != nil {
                jumped = StatusMessage("device \(id)")
            } else {
                state.stack.removeLast()
                jumped = StatusMessage("no device \(id)", level: .error, ticks: 10)
            }
        }
        if devices.isEmpty, state.paging != nil, page.matching > 0 {
            // Read past an end: the page shown stays.
            state.status = jumped ?? StatusMessage("no more devices that way", ticks: 4)
            return
        }
        let again = state.paging?.start == page.start && state.paging?.filter == page.filter && state.paging?.sort == page.sort
        let kept = again ? state.selectedDevice?.id : nil
        let keptOffset = state.devicesCursor.offset
        state.estate = page.preview.estate
        state.previewOf = page.preview.deviceCount
        state.paging = PagedDevices(page, filterText: state.filterText)
        // The page holds its devices in ID order; shown, they are in the order they were read in.
        state.deviceRows = DeviceList.rows(page.preview.estate, filter: .all, sort: page.sort)
        if let kept, let row = state.deviceRows.firstIndex(where: { devices[Int($0)].id == kept }) {
            state.devicesCursor.selected = row
            state.devicesCursor.offset = keptOffset
        } else {
            switch page.start {
            case .first, .after, .at: state.devicesCursor.selected = 0
            case .before, .last: state.devicesCursor.selected = max(0, devices.count - 1)
            }
            state.devicesCursor.offset = max(0, state.devicesCursor.selected - Layout.devicesViewport(state.size) + 1)
        }
        clampCursors(&state)
        // Read again because the store changed: the organisations' counts are counted again (the
        // report stays until R, a long read).
        if again { state.holdings = nil }
        // Read again: a status waiting for the read ("Reloading…") gives way; one that clears by
        // itself (a request's outcome, alerts processed) stays.
        if let jumped {
            state.status = jumped
        } else if !again || (state.status?.level == .info && state.status?.ticksLeft == nil) {
            state.status = pagingStatus(state)
        }
    }

    /// What the status line says while pages are shown: where they come from.
    static func pagingStatus(_ state: AppState) -> StatusMessage {
        StatusMessage("\(state.previewOf ?? 0) devices, read from \(state.pageSource) a page at a time (/ filters and s S 1-6 sort there)",
                      level: .info, ticks: nil, consoleWide: true)
    }

    /// A key on the devices table while pages are shown; `nil` for a key that acts as it does
    /// on a store read whole (on the page shown).
    static func handlePaged(_ action: Action, key: Key, _ state: inout AppState) -> [Effect]? {
        let rows = state.deviceRows.count
        let selected = state.devicesCursor.selected
        let (filter, sort) = (state.filter, state.sort)
        func shown(_ row: Int32?) -> EUI64? { row.flatMap { state.estate?.devices[Int($0)].id } }
        func first() -> EUI64? { shown(state.deviceRows.first) }
        func last() -> EUI64? { shown(state.deviceRows.last) }
        switch action {
        case .moveDown, .pageDown:
            let step = action == .moveDown ? 1 : pageSize(state)
            if selected + 1 < rows { move(&state, to: min(selected + step, rows - 1)); return [] }
            guard let last = last(), state.paging?.endsAtLast == false else {
                state.status = StatusMessage("no more devices that way", ticks: 4)
                return []
            }
            return [.fetchPage(.after(last), filter, sort)]
        case .moveUp, .pageUp:
            let step = action == .moveUp ? 1 : pageSize(state)
            if selected > 0 { move(&state, to: max(selected - step, 0)); return [] }
            guard let first = first(), state.paging?.startsAtFirst == false else {
                state.status = StatusMessage("no more devices that way", ticks: 4)
                return []
            }
            return [.fetchPage(.before(first), filter, sort)]
        case .top: return [.fetchPage(.first, filter, sort)]
        case .bottom: return [.fetchPage(.last, filter, sort)]
        case .back where state.marked.isEmpty && !filter.terms.isEmpty:
            ask(filter: .all, text: "", sort: sort, &state)
            return [.fetchPage(.first, .all, sort)]
        case .filter: openFilter(&state)
        case .sortNextColumn, .reverseSort, .sortByColumn:
            guard let sort = nextSort(action, key: key, after: sort) else { return [] }
            ask(filter: filter, text: state.filterText, sort: sort, &state)
            state.status = StatusMessage("sorting by \(sortDescription(sort)) in the database…", ticks: nil)
            return [.fetchPage(.first, filter, sort)]
        default: return nil
        }
        return []
    }

    /// `/` while pages are shown: the filter's first page is read from the database, in the order shown.
    static func applyPagedFilter(_ text: String, _ state: inout AppState) -> [Effect] {
        do {
            let filter = try typedFilter(text, state)
            // Typing asked for each filter as it parsed: this one's page may be shown or on its way.
            let alreadyAsked = state.filter == filter
            ask(filter: filter, text: text.trimmingSpaces, sort: state.sort, &state)
            state.modal = nil
            state.filterBeforePrompt = nil
            if alreadyAsked, state.paging?.filter == filter {
                state.status = pagingStatus(state)
                return []
            }
            state.status = StatusMessage("filtering in the database…", ticks: nil)
            return alreadyAsked ? [] : [.fetchPage(.first, filter, state.sort)]
        } catch {
            state.status = StatusMessage("filter: \(error.description)", level: .error, ticks: 10)
            return []
        }
    }

    /// What the operator now asks the pages for: every page read from here on (paging on,
    /// another operator's commit) is read so, and a page read otherwise is not shown.
    static func ask(filter: DeviceFilter, text: String, sort: DeviceSort, _ state: inout AppState) {
        state.filter = filter
        state.filterText = text
        state.sort = sort
    }

    /// A page that could not be read: the pages shown stay, and so does what they were read with.
    static func pageFailed(_ reason: String, _ state: inout AppState) {
        if let paging = state.paging {
            ask(filter: paging.filter, text: paging.filterText, sort: paging.sort, &state)
        }
        state.status = StatusMessage("could not read the page: \(reason)", level: .error, ticks: 10)
    }
}

extension AppState {
    /// Where pages come from, as the console says it: a DSP's operator API (`https://…`), or a database.
    var pageSource: String { pagesFromTheDSP ? "the DSP" : "the database" }

    /// Whether the pages come from a DSP's operator API (`--store https://…`), not a database.
    var pagesFromTheDSP: Bool { storePath.lowercased().hasPrefix("https://") }
}
