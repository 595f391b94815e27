import AnchorCore

/// The reports and the request log: sorting by a column, and jumping to the next problem row.
extension Update {
    /// `s`, `S`, `1`-`N` on a report or the request log.
    static func sortList(_ action: Action, key: Key, _ state: inout AppState) {
        let titles = state.screen == .reports ? AppState.reportTitles(state.reportKind) : AppState.requestTitles
        let query = state.screen == .reports ? state.reportsQuery : state.requestsQuery
        guard let sorted = query.sorted(by: action, key: key, columns: titles.count) else {
            state.status = StatusMessage("\(key.label) names no column here (1-\(titles.count))", ticks: 4)
            return
        }
        if state.screen == .reports {
            state.reportsQuery = sorted
            state.reportsCursor = ListCursor()
        } else {
            state.requestsQuery = sorted
            state.requestsCursor = ListCursor()
        }
        state.status = StatusMessage("sorted by \(sorted.sortDescription(titles: titles))")
    }

    /// `n` / `N`: the next (or previous) row that needs action, wrapping round.
    static func nextProblem(forward: Bool, _ state: inout AppState) {
        let viewport = Layout.masterViewport(state.size)
        switch state.screen {
        case .reports:
            guard let report = state.report else { return }
            let name = AppState.reportProblemName(state.reportKind)
            let rows = state.reportRows
            guard let position = rows.firstPosition(from: state.reportsCursor.selected, forward: forward,
                                                    where: { AppState.reportRowIsProblem(report, row: $0) }) else {
                state.status = StatusMessage("no \(name) row among the \(rows.count) shown", ticks: 6)
                return
            }
            state.reportsCursor.move(to: position, count: rows.count, viewport: viewport)
            state.status = StatusMessage(problemStatus(name, position: position, count: rows.count))
        default:
            let rows = state.requestRows
            guard let position = rows.firstPosition(from: state.requestsCursor.selected, forward: forward, where: { row in
                state.requestRecord(newestFirst: row)?.outcome == .rejected
            }) else {
                state.status = StatusMessage("no rejected request among the \(rows.count) shown", ticks: 6)
                return
            }
            state.requestsCursor.move(to: position, count: rows.count, viewport: viewport)
            state.status = StatusMessage(problemStatus("rejected", position: position, count: rows.count))
        }
    }

    static func problemStatus(_ name: String, position: Int, count: Int) -> String {
        "\(name): row \(position + 1) of \(count) (n next, N previous)"
    }

    /// Esc at the top of a report or the request log: its filter and order go.
    /// - Returns: whether there was one to clear.
    static func clearListQuery(_ state: inout AppState) -> Bool {
        switch state.screen {
        case .reports where !state.reportsQuery.isEverything:
            state.reportsQuery = ListQuery()
        case .requests where !state.requestsQuery.isEverything:
            state.requestsQuery = ListQuery()
        default:
            return false
        }
        clampCursors(&state)
        state.status = StatusMessage("filter and sort cleared")
        return true
    }
}
