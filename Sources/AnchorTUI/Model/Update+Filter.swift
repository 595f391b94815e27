import AnchorCore

/// `/`: the filter prompt of the devices list, the reports and the request log. The rows
/// follow the text as it is typed; Enter keeps it, Esc puts back the filter shown before.
extension Update {
    /// Opens the prompt on the current view's filter, remembering it for Esc.
    static func openFilter(_ state: inout AppState) {
        let text = filterText(of: state.screen, state)
        state.filterBeforePrompt = text
        state.modal = .filter(TextField(text))
    }

    /// The filter a view shows, as typed.
    static func filterText(of screen: Screen, _ state: AppState) -> String {
        switch screen {
        case .reports: state.reportsQuery.filterText
        case .requests: state.requestsQuery.filterText
        default: state.filterText
        }
    }

    /// The filter prompt: typing filters at once, Enter keeps it, Esc puts the old one back.
    static func handleFilter(_ key: Key, field: TextField, _ state: inout AppState) -> [Effect] {
        var field = field
        let before = state.filterBeforePrompt ?? ""
        switch key {
        case .escape:
            state.modal = nil
            state.filterBeforePrompt = nil
            let effects = showTyped(before, &state)
            state.status = StatusMessage(before.isEmpty ? "filter cancelled: no filter" : "filter cancelled: back to '\(before)'")
            return effects
        case .enter:
            switch state.screen {
            case .reports, .requests:
                state.modal = nil
                state.filterBeforePrompt = nil
                state.status = StatusMessage(listFilterStatus(state))
            default:
                if state.paging != nil { return applyPagedFilter(field.text, &state) }
                applyFilter(field.text, &state)
            }
            return []
        case .tab where state.screen == .devices:
            // no=/supplier= complete organisation IDs, as the palette's `filter` does.
            let completion = PaletteCompletion("filter " + field.text, estate: state.estate)
            let completed = TextField(String(completion.completed.dropFirst("filter ".count)))
            state.modal = .filter(completed)
            return completed.text == field.text ? [] : showTyped(completed.text, &state)
        default:
            let typed = field.text
            _ = field.edit(key)
            state.modal = .filter(field)
            return field.text == typed ? [] : showTyped(field.text, &state)
        }
    }

    /// Shows the rows for the text typed so far. On the devices list a text that is not (yet)
    /// a filter, or names an organisation the store does not hold, shows the rows the prompt
    /// opened on; Enter says what is wrong with it. While
    /// pages are shown each filter typed asks the database for its first page; the runtime
    /// reads only the newest page asked for, so fast typing does not queue a count per key.
    static func showTyped(_ text: String, _ state: inout AppState) -> [Effect] {
        switch state.screen {
        case .reports:
            state.reportsQuery.filterText = text
            state.reportsCursor.clamp(count: state.reportRows.count, viewport: Layout.masterViewport(state.size))
            return []
        case .requests:
            state.requestsQuery.filterText = text
            state.requestsCursor.clamp(count: state.requestRows.count, viewport: Layout.masterViewport(state.size))
            return []
        default:
            // A name the store does not hold (as while one is half typed) is not a filter yet either.
            let typed = (try? typedFilter(text, state)).map { ($0, text) }
            let before = state.filterBeforePrompt ?? state.filterText
            guard let (filter, text) = typed ?? (try? typedFilter(before, state)).map({ ($0, before) }) else { return [] }
            if state.paging != nil {
                guard filter != state.filter else { return [] }
                ask(filter: filter, text: text.trimmingSpaces, sort: state.sort, &state)
                return [.fetchPage(.first, filter, state.sort)]
            }
            if filter != state.filter || text.trimmingSpaces != state.filterText { show(filter, text: text, &state) }
            return []
        }
    }

    /// How many rows of a report or the request log the filter leaves.
    static func listFilterStatus(_ state: AppState) -> String {
        let (shown, total, text): (Int, Int, String) = switch state.screen {
        case .reports: (state.reportRows.count, state.report?.rowCount ?? 0, state.reportsQuery.filterText)
        default: (state.requestRows.count, state.requestLogCount, state.requestsQuery.filterText)
        }
        return text.trimmingSpaces.isEmpty ? "filter cleared: \(total) rows" : "\(shown) of \(total) rows hold '\(text.trimmingSpaces)'"
    }
}
