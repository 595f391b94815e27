import AnchorCore

/// Moving about: the cursor of each list, pages, and the screen stack.
extension Update {
    /// Enter on a list: the selected row's page.
    static func open(on screen: Screen, _ state: inout AppState) -> [Effect] {
        switch screen {
        case .devices:
            if let device = state.selectedDevice { push(.device(device.id), &state) }
        case .requests:
            if let record = state.requestRecord(at: state.requestsCursor.selected) { push(.device(record.device), &state) }
        case .organisations:
            if let organisation = state.selectedOrganisation { push(.organisation(organisation.id), &state) }
        case .reports:
            if let device = state.selectedReportDevice { return showDevice(.device(device), &state) }
        default: break
        }
        return []
    }

    /// A device's page or counter history. While pages are shown and the device is not on the
    /// page, the page that starts at it is read (with no filter) and the screen fills in when
    /// it arrives (``showPage(_:_:)``).
    static func showDevice(_ screen: Screen, _ state: inout AppState) -> [Effect] {
        push(screen, &state)
        guard state.paging != nil, let id = screen.device, state.estate?.devices[id] == nil else { return [] }
        ask(filter: .all, text: "", sort: state.sort, &state)
        state.status = StatusMessage("reading \(id) from the database\(state.appearance.glyphs.ellipsis)", ticks: nil)
        return [.fetchPage(.at(id), .all, state.sort)]
    }

    static func pageSize(_ state: AppState) -> Int {
        switch state.screen {
        case .devices: Layout.devicesViewport(state.size)
        case .requests, .organisations, .reports: Layout.masterViewport(state.size)
        default: max(1, Layout.bodyRows(state.size) - 1)
        }
    }

    static func move(_ state: inout AppState, by delta: Int) {
        switch state.screen {
        case .devices: move(&state, to: state.devicesCursor.selected + delta)
        case .requests: move(&state, to: state.requestsCursor.selected + delta)
        case .organisations: move(&state, to: state.organisationsCursor.selected + delta)
        case .reports: move(&state, to: state.reportsCursor.selected + delta)
        default: move(&state, to: state.pageScroll + delta)
        }
    }

    static func move(_ state: inout AppState, to row: Int) {
        switch state.screen {
        case .devices:
            state.devicesCursor.move(to: row, count: state.deviceRows.count, viewport: Layout.devicesViewport(state.size))
        case .requests:
            state.requestsCursor.move(to: row, count: state.requestRows.count, viewport: Layout.masterViewport(state.size))
        case .organisations:
            state.organisationsCursor.move(
                to: row, count: state.estate?.ledger.organisations.count ?? 0, viewport: Layout.masterViewport(state.size))
        case .reports:
            state.reportsCursor.move(to: row, count: state.reportRows.count, viewport: Layout.masterViewport(state.size))
        case .device, .counters, .organisation:
            let lines = Pages.lines(for: state).count
            state.pageScroll = max(0, min(row, lines - Layout.bodyRows(state.size)))
        }
    }

    static func push(_ screen: Screen, _ state: inout AppState) {
        state.stack.append(screen)
        state.pageScroll = 0
        if case .requests = screen { state.requestsCursor = ListCursor() }
    }

    /// `L`, `O`, `P`: a top-level view, in place of the drill-down shown (so Esc does not come
    /// back to it); already there, the status line says so.
    static func showTopLevel(_ screen: Screen, _ state: inout AppState) {
        guard state.stack != [screen] else {
            state.status = StatusMessage("already in \(screen.viewName)", ticks: 4)
            return
        }
        switchTo(screen, &state)
    }

    static func switchTo(_ screen: Screen, _ state: inout AppState) {
        state.stack = [screen]
        state.pageScroll = 0
        if case .requests = screen { state.requestsCursor = ListCursor() }
    }

    static func goBack(_ state: inout AppState) {
        if state.stack.count > 1 {
            state.stack.removeLast()
            state.pageScroll = 0
            if case .requests = state.screen { state.requestsCursor = ListCursor() }
        } else if clearMarks(&state) {
            return
        } else if state.screen == .devices, !state.filterText.isEmpty {
            applyFilter("", &state)
        } else if !clearListQuery(&state) {
            state.status = StatusMessage("top level: press q to quit")
        }
    }
}
