import AnchorCore
import AnchorService

/// Marked devices: Space marks a row of the devices list, and `r` sends SRV6.15.1 or SRV6.21 to
/// every marked device as one job, after a confirmation whose focus starts on Cancel.
extension Update {
    /// Space: marks or unmarks the selected device, and moves down.
    static func toggleMark(_ state: inout AppState) {
        guard let id = state.selectedDevice?.id else {
            nothingSelected(&state)
            return
        }
        if state.marked.remove(id) == nil { state.marked.insert(id) }
        move(&state, by: 1)
        state.status = StatusMessage("\(state.marked.count) marked: r sends to all of them as one job, Esc clears the marks")
    }

    /// `r` with devices marked: the confirmation for all of them.
    static func openMarkedConfirm(_ state: inout AppState) {
        guard !state.readOnly else {
            state.status = StatusMessage("read-only (--read-only): requests cannot be launched", level: .warning)
            return
        }
        guard let estate = state.estate else { return }
        do {
            state.modal = .markedConfirm(try MarkedConfirmation.make(marked: state.marked.sorted(), estate: estate,
                                                                   legacy: state.legacyCounters))
        } catch {
            state.status = StatusMessage(error.message, level: .warning, ticks: 10)
        }
    }

    /// The marked devices' confirmation: Cancel or Send; Send runs the job and clears the marks.
    static func handle(_ key: Key, marked confirmation: MarkedConfirmation, _ state: inout AppState) -> [Effect] {
        var confirmation = confirmation
        switch KeyMap.action(for: key, in: [.confirm]) {
        case .toggleFocus:
            confirmation.focus = confirmation.focus == .cancel ? .send : .cancel
            state.modal = .markedConfirm(confirmation)
        case .submit where confirmation.focus == .send && !state.readOnly:
            state.marked = []
            state.modal = .progress(nil)
            return [.runJob(.requests(confirmation.draft))]
        case .submit, .back:
            state.modal = nil
            state.status = StatusMessage("cancelled: nothing was sent; the devices stay marked")
        default:
            break
        }
        return []
    }

    /// Esc at the top of the devices list: the marks go first.
    /// - Returns: whether there were marks to clear.
    static func clearMarks(_ state: inout AppState) -> Bool {
        guard state.screen == .devices, !state.marked.isEmpty else { return false }
        state.marked = []
        state.status = StatusMessage("marks cleared")
        return true
    }
}
