import AnchorCore

/// The mouse, as in k9s and lazygit: a click selects the row under it, a double click opens it,
/// the wheel scrolls. Dialogs take keys only; `--no-mouse` or `:mouse off` leave the mouse to the
/// terminal's own text selection.
extension Update {
    /// Rows the wheel moves at a time.
    static let wheelStep = 3

    static func handle(_ event: MouseEvent, _ state: inout AppState) -> [Effect] {
        switch event.kind {
        case .wheelUp: move(&state, by: -wheelStep)
        case .wheelDown: move(&state, by: wheelStep)
        case .click, .doubleClick:
            guard let row = listRow(at: event.y, state) else { return [] }
            move(&state, to: row)
            if event.kind == .doubleClick {
                return open(on: state.screen, &state)
            }
        }
        return []
    }

    /// The list row drawn at screen row `y`, if the screen is a list and a row is there: every
    /// list draws its header on the body's first row and its rows under it.
    static func listRow(at y: Int, _ state: AppState) -> Int? {
        let (cursor, count, viewport): (ListCursor, Int, Int)
        switch state.screen {
        case .devices: (cursor, count, viewport) = (state.devicesCursor, state.deviceRows.count, Layout.devicesViewport(state.size))
        case .requests: (cursor, count, viewport) = (state.requestsCursor, state.requestRows.count, Layout.masterViewport(state.size))
        case .organisations:
            (cursor, count, viewport) = (state.organisationsCursor, state.estate?.ledger.organisations.count ?? 0, Layout.masterViewport(state.size))
        case .reports: (cursor, count, viewport) = (state.reportsCursor, state.reportRows.count, Layout.masterViewport(state.size))
        case .device, .counters, .organisation: return nil
        }
        let shown = y - Layout.headerRows - 1
        guard shown >= 0, shown < viewport, cursor.offset + shown < count else { return nil }
        return cursor.offset + shown
    }

    /// `:mouse [on|off]`: turns the mouse on or off (no argument: the other way).
    static func setMouse(_ argument: String, _ state: inout AppState) -> [Effect] {
        switch argument.lowercased() {
        case "on": state.mouseEnabled = true
        case "off": state.mouseEnabled = false
        default: state.mouseEnabled.toggle()
        }
        state.status = state.mouseEnabled
            ? StatusMessage("mouse on: click selects, double click opens, the wheel scrolls")
            : StatusMessage("mouse off: the terminal selects text again (:mouse on to turn it back)")
        return [.setMouse(state.mouseEnabled)]
    }
}
