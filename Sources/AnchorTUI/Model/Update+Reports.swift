import AnchorCore

/// The reports view: switching report, and the as-of date prompt.
extension Update {
    /// `t`: the other report, built afresh.
    static func switchReport(_ state: inout AppState) {
        state.reportKind = state.reportKind == .postCommissioning ? .counterRisk : .postCommissioning
        state.report = nil
        state.reportsCursor = ListCursor()
        // The filter carries over; a sort by a column the other report lacks does not.
        if let column = state.reportsQuery.sortColumn, column >= AppState.reportTitles(state.reportKind).count {
            state.reportsQuery.sortColumn = nil
            state.reportsQuery.ascending = true
        }
    }

    /// The post-commissioning report's as-of date prompt.
    static func handleAsOf(_ key: Key, field: TextField, _ state: inout AppState) -> [Effect] {
        var field = field
        switch key {
        case .escape: state.modal = nil
        case .enter:
            let text = field.text.trimmingSpaces
            if text.isEmpty {
                state.reportAsOf = nil
            } else if let date = ReportSnapshot.asOf(parsing: text) {
                state.reportAsOf = date
            } else {
                state.status = StatusMessage("as-of '\(text)' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", level: .error, ticks: 10)
                return []
            }
            state.modal = nil
            state.report = nil
            state.status = StatusMessage("post-commissioning report as of \(state.reportAsOf?.description ?? "now")")
        default:
            _ = field.edit(key)
            state.modal = .asOf(field)
        }
        return []
    }
}
