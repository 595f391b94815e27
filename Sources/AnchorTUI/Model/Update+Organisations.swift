import AnchorCore
import AnchorService

/// The organisations view's lifecycle actions: subscribe, cease (with hand-back), revoke.
extension Update {
    static func openLifecycle(_ action: OrganisationAction, _ state: inout AppState) {
        guard !state.readOnly else {
            state.status = StatusMessage("read-only (--read-only): organisations cannot be changed", level: .warning)
            return
        }
        guard let estate = state.estate, let organisation = state.selectedOrganisation else {
            state.status = StatusMessage("select an organisation first", level: .warning)
            return
        }
        switch LifecycleConfirmation.make(action, organisation: organisation.id, estate: estate) {
        case .success(let confirmation): state.modal = .lifecycleConfirm(confirmation)
        case .failure(.unchanged(let detail)): state.status = StatusMessage("nothing to do: \(detail)", ticks: 10)
        case .failure(.notPossible(let reason)): state.status = StatusMessage(reason, level: .warning, ticks: 10)
        }
    }

    static func handle(_ key: Key, lifecycle confirmation: inout LifecycleConfirmation, _ state: inout AppState) -> [Effect] {
        switch KeyMap.action(for: key, in: [.confirm]) {
        case .toggleFocus:
            confirmation.focus = confirmation.focus == .cancel ? .confirm : .cancel
        case .toggleOption:
            guard confirmation.canHandBack else {
                state.status = StatusMessage("no option here: only a Network Operator that is a DCC User can hand back before ceasing")
                return []
            }
            confirmation.handBack.toggle()
            confirmation.typedCount = TextField()
        case .submit:
            if confirmation.focus == .cancel {
                state.modal = nil
                state.status = StatusMessage("cancelled: nothing was changed")
                return []
            }
            guard !state.readOnly else {
                state.modal = nil
                state.status = StatusMessage("read-only (--read-only): organisations cannot be changed", level: .warning)
                return []
            }
            if confirmation.needsTypedCount, confirmation.typedCount.text.trimmingSpaces != String(confirmation.handBackDevices) {
                state.status = StatusMessage("type \(confirmation.handBackDevices), the number of devices to hand back, to go ahead",
                                             level: .error, ticks: 10)
                state.modal = .lifecycleConfirm(confirmation)
                return []
            }
            state.modal = .progress(nil)
            return [.runJob(.lifecycle(confirmation.draft))]
        case .back:
            state.modal = nil
            state.status = StatusMessage("cancelled: nothing was changed")
            return []
        default:
            if confirmation.needsTypedCount { editCount(&confirmation.typedCount, key) }
        }
        state.modal = .lifecycleConfirm(confirmation)
        return []
    }
}
