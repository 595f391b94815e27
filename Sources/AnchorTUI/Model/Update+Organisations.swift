import AnchorCore
import AnchorService
import AnchorStore

/// The organisations view's lifecycle actions: subscribe, cease (with hand-back), revoke.
extension Update {
    static func openLifecycle(_ action: OrganisationAction, _ state: inout AppState) -> [Effect] {
        guard !state.readOnly else {
            state.status = StatusMessage("read-only (--read-only): organisations cannot be changed", level: .warning)
            return []
        }
        guard let estate = state.estate, let organisation = state.selectedOrganisation else {
            state.status = StatusMessage("select an organisation first", level: .warning)
            return []
        }
        if state.paging != nil {
            // The devices are counted in the database first.
            state.status = StatusMessage("counting \(organisation.id)'s devices in the database\(state.appearance.glyphs.ellipsis)", ticks: nil)
            return [.countForLifecycle(action, organisation: organisation.id)]
        }
        showLifecycle(LifecycleConfirmation.make(action, organisation: organisation.id, estate: estate), &state)
        return []
    }

    /// The devices an organisation's lifecycle dialog needs, counted in the database: the dialog.
    static func lifecycleCounted(_ action: OrganisationAction, organisation: String, _ counts: Result<LifecycleCounts, StoreError>,
                                 _ state: inout AppState) {
        guard let ledger = state.estate?.ledger, state.modal == nil else { return }
        switch counts {
        case .success(let counts):
            state.status = nil
            showLifecycle(LifecycleConfirmation.make(action, organisation: organisation, ledger: ledger,
                                                     holding: { _ in counts.holding }, handBackDevices: { _ in counts.handBack }), &state)
        case .failure(let error):
            state.status = StatusMessage("could not count \(organisation)'s devices: \(error.description)", level: .error, ticks: 10)
        }
    }

    /// The lifecycle dialog, or why there is none.
    private static func showLifecycle(_ made: Result<LifecycleConfirmation, LifecyclePreviewProblem>, _ state: inout AppState) {
        switch made {
        case .success(let confirmation):
            state.modal = .lifecycleConfirm(confirmation)
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
