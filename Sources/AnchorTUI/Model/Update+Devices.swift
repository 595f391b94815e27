import AnchorCore
import AnchorStore

/// The devices list: its rows, sort, filter, and jumping to a device.
extension Update {
    /// `s`, `S` and `1`-`6`: the next sort column, the other direction, or sort by column N (again reverses).
    static func sort(_ action: Action, key: Key, _ state: inout AppState) {
        guard let sort = nextSort(action, key: key, after: state.sort) else { return }
        state.sort = sort
        refreshRows(&state, keeping: state.selectedDevice?.id)
        state.status = StatusMessage("sorted by \(sortDescription(state.sort))")
    }

    /// The sort `s`, `S` or `1`-`6` asks for after `current`; `nil` for a digit naming no column.
    static func nextSort(_ action: Action, key: Key, after current: DeviceSort) -> DeviceSort? {
        switch action {
        case .sortNextColumn:
            let columns = DeviceColumn.allCases
            guard let column = current.column, let index = columns.firstIndex(of: column) else { return DeviceSort(column: columns[0]) }
            return DeviceSort(column: index + 1 < columns.count ? columns[index + 1] : nil)
        case .reverseSort:
            return DeviceSort(column: current.column, ascending: !current.ascending)
        default:
            guard case .character(let digit) = key, let number = digit.wholeNumberValue,
                  let column = DeviceColumn(rawValue: number - 1) else { return nil }
            return current.column == column ? DeviceSort(column: column, ascending: !current.ascending) : DeviceSort(column: column)
        }
    }

    /// `y`: the focused device's ID to the clipboard (OSC 52), and in the status line.
    static func copyDeviceID(_ state: inout AppState) -> [Effect] {
        guard let id = state.focusedDeviceID else { return [] }
        state.status = StatusMessage("copied \(id) (OSC 52; select it here if your terminal blocks that)", ticks: 10)
        return [.copy(id.description)]
    }

    /// The filter typed at `/`, its organisations checked against the store's: a misspelt name
    /// is refused with the store's nearest one, as the CLI refuses it, instead of matching nothing.
    static func typedFilter(_ text: String, _ state: AppState) throws(RequestError) -> DeviceFilter {
        let filter = try DeviceFilter(parsing: text)
        if let ledger = state.estate?.ledger { try filter.checkNames(in: ledger) }
        return filter
    }

    static func applyFilter(_ text: String, _ state: inout AppState) {
        do {
            let filter = try typedFilter(text, state)
            show(filter, text: text, &state)
            state.modal = nil
            state.filterBeforePrompt = nil
            let total = state.estate?.devices.count ?? 0
            state.status = filter.terms.isEmpty ? StatusMessage("filter cleared: \(total) devices")
                : StatusMessage("\(state.deviceRows.count) of \(total) devices match '\(state.filterText)'")
        } catch {
            state.status = StatusMessage("filter: \(error.description)", level: .error, ticks: 10)
        }
    }

    /// Shows the devices a filter matches, keeping the selected device if it is among them.
    static func show(_ filter: DeviceFilter, text: String, _ state: inout AppState) {
        state.filterText = text.trimmingSpaces
        state.filter = filter
        refreshRows(&state, keeping: state.selectedDevice?.id)
    }

    /// `:ID`: the device's page, over the devices list (while pages are shown, read from the
    /// database when it is not on the page shown).
    static func jump(to id: EUI64, _ state: inout AppState) -> [Effect] {
        if state.paging != nil {
            state.stack = [.devices]
            return showDevice(.device(id), &state)
        }
        guard let estate = state.estate, estate.devices[id] != nil else {
            state.status = StatusMessage("no device \(id)", level: .error, ticks: 10)
            return []
        }
        if !state.deviceRows.contains(where: { estate.devices[Int($0)].id == id }) {
            applyFilter("", &state)
        }
        state.stack = [.devices]
        refreshRows(&state, keeping: id)
        push(.device(id), &state)
        state.status = StatusMessage("device \(id)")
        return []
    }

    /// Recomputes the devices table's rows, keeping a device selected if it is still shown.
    static func refreshRows(_ state: inout AppState, keeping id: EUI64?) {
        guard let estate = state.estate else { return }
        state.deviceRows = DeviceList.rows(estate, index: state.deviceIndex, filter: state.filter, sort: state.sort)
        if let id, let row = state.deviceRows.firstIndex(where: { estate.devices[Int($0)].id == id }) {
            state.devicesCursor.selected = row
        }
        clampCursors(&state)
    }

    static func clampCursors(_ state: inout AppState) {
        state.devicesCursor.clamp(count: state.deviceRows.count, viewport: Layout.devicesViewport(state.size))
        state.requestsCursor.clamp(count: state.requestRows.count, viewport: Layout.masterViewport(state.size))
        state.organisationsCursor.clamp(count: state.estate?.ledger.organisations.count ?? 0,
                                        viewport: Layout.masterViewport(state.size))
        state.reportsCursor.clamp(count: state.reportRows.count, viewport: Layout.masterViewport(state.size))
    }

    /// What the status line says while a preview of a large store is shown.
    static func previewStatus(_ preview: StorePreview) -> String {
        "Reading all \(preview.deviceCount) devices: the first \(preview.estate.devices.count) are shown until then; filters, sorting and requests wait for it"
    }

    static func sortDescription(_ sort: DeviceSort) -> String {
        guard let column = sort.column else { return sort.ascending ? "store order" : "store order, reversed" }
        return column.title.lowercased() + (sort.ascending ? ", ascending" : ", descending")
    }
}
