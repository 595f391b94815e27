import AnchorCore
import AnchorService

/// Bulk jobs: Recovery Events (form and confirmation), progress, stopping and the outcome.
extension Update {
    /// Digits and editing keys only: a typed count is a number.
    static func editCount(_ field: inout TextField, _ key: Key) {
        if case .character(let character) = key, !character.isASCII || !character.isNumber { return }
        _ = field.edit(key)
    }

    static func openRecovery(_ state: inout AppState) {
        guard !state.readOnly else {
            state.status = StatusMessage("read-only (--read-only): a Recovery Event cannot be run", level: .warning)
            return
        }
        guard state.estate != nil else { return }
        guard !state.filterText.isEmpty else {
            state.status = StatusMessage("filter the devices first (/): a Recovery Event applies to the filtered devices only",
                                         level: .warning, ticks: 10)
            return
        }
        state.modal = .recoveryForm(RecoveryForm(filter: state.filterText))
    }

    static func handle(_ key: Key, recovery form: inout RecoveryForm, _ state: inout AppState) -> [Effect] {
        let fields = RecoveryForm.Field.allCases
        let position = fields.firstIndex(of: form.focus) ?? 0
        switch KeyMap.action(for: key, in: [.form]) {
        case .back:
            state.modal = nil
            state.status = StatusMessage("Recovery Event cancelled: nothing was sent")
            return []
        case .nextField:
            form.focus = fields[(position + 1) % fields.count]
        case .previousField:
            form.focus = fields[(position + fields.count - 1) % fields.count]
        case .submit:
            guard !state.readOnly else {
                state.modal = nil
                state.status = StatusMessage("read-only (--read-only): a Recovery Event cannot be run", level: .warning)
                return []
            }
            guard let estate = state.estate else { return [] }
            do {
                if state.paging != nil {
                    // Pages are shown: what holds the estate (the DSP, or the database) plans it
                    // over the filter's devices; the form stays until its answer.
                    _ = try form.checked()
                    state.modal = .recoveryForm(form)
                    state.status = StatusMessage("asking \(state.pageSource) which devices it would address\(state.appearance.glyphs.ellipsis)",
                                                 ticks: nil)
                    return [.planRecovery(form)]
                }
                if confirm(try form.preview(estate), form: form, &state) { return [] }
            } catch {
                state.status = StatusMessage(error.description, level: .error, ticks: 10)
            }
        default:
            _ = form.focusedField.edit(key)
        }
        state.modal = .recoveryForm(form)
        return []
    }

    /// The plan (the DSP's, or the database's) for the form still shown: its confirmation, or why there is none.
    static func recoveryPlanned(_ form: RecoveryForm, _ planned: Result<RecoveryPreview, RequestError>, _ state: inout AppState) {
        // Esc closed the form while it was planned: nothing opens.
        guard case .recoveryForm(let shown) = state.modal else { return }
        guard shown == form else {
            state.status = StatusMessage("the form changed while \(state.pageSource) planned it: Enter asks again", level: .warning, ticks: 10)
            return
        }
        switch planned {
        case .success(let preview):
            state.status = nil
            _ = confirm(preview, form: form, &state)
        case .failure(let error):
            state.status = StatusMessage(error.description, level: .error, ticks: 10)
        }
    }

    /// The confirmation for a preview with devices to do; whether there is one (else the status
    /// says none is left to do).
    private static func confirm(_ preview: RecoveryPreview, form: RecoveryForm, _ state: inout AppState) -> Bool {
        guard preview.count > 0 else {
            state.status = StatusMessage("no device to do: \(preview.skipped) matching already hold the replacement with a recorded counter",
                                         level: .warning, ticks: 10)
            return false
        }
        state.modal = .recoveryConfirm(preview, form: form)
        return true
    }

    /// While a job runs the runtime feeds keys here between groups: Esc or Ctrl-C stop after the current one.
    static func handleWhileRunning(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard case .progress(let progress) = state.modal, KeyMap.action(for: key, in: [.progress]) == .back else { return [] }
        if var progress {
            progress.stopping = true
            state.modal = .progress(progress)
        } else {
            state.modal = .progress(BulkProgress(title: "Stopping", total: 0))
        }
        state.status = StatusMessage("stopping after the current group; everything sent so far is durable", level: .warning, ticks: nil)
        return []
    }

    /// Whether the operator asked a running job to stop.
    public static func stopRequested(_ state: AppState) -> Bool {
        if case .progress(let progress?) = state.modal { return progress.stopping }
        return false
    }

    static func finishJob(_ report: JobReport, _ state: inout AppState) -> [Effect] {
        let outcome = report.outcome
        state.modal = .jobOutcome(outcome)
        var effects: [Effect] = []
        if let estate = report.estate {
            let selected = state.selectedDevice?.id
            state.estate = estate
            state.deviceIndex = nil
            refreshRows(&state, keeping: selected)
            effects.append(.indexDevices)
        } else if outcome.bulk?.done ?? 0 > 0 || outcome.lifecycle != nil || outcome.failure != nil {
            effects.append(.load)
        }
        forgetDerived(&state)
        state.status = JobOutcomeText.status(outcome)
        return effects
    }

    /// The Recovery Event's confirmation: the device count must be typed to go ahead.
    static func handle(_ key: Key, recoveryConfirmation preview: RecoveryPreview, form: RecoveryForm, _ state: inout AppState) -> [Effect] {
        var preview = preview
        switch KeyMap.action(for: key, in: [.prompt]) {
        case .back:
            state.modal = .recoveryForm(form)
            state.status = StatusMessage("cancelled: nothing was sent")
        case .submit:
            guard !state.readOnly else {
                state.modal = nil
                state.status = StatusMessage("read-only (--read-only): a Recovery Event cannot be run", level: .warning)
                return []
            }
            guard preview.typedCount.text.trimmingSpaces == String(preview.count) else {
                state.status = StatusMessage("type \(preview.count), the number of devices, to go ahead (Esc cancels)",
                                             level: .error, ticks: 10)
                return []
            }
            state.modal = .progress(nil)
            return [.runJob(.recovery(preview.draft))]
        default:
            editCount(&preview.typedCount, key)
            state.modal = .recoveryConfirm(preview, form: form)
        }
        return []
    }
}
