import AnchorCore

/// The request launcher (SRV6.15.1 or SRV6.21 for one device) and its confirmation.
extension Update {
    static func openLauncher(_ state: inout AppState) {
        guard !state.readOnly else {
            state.status = StatusMessage("read-only (--read-only): requests cannot be launched", level: .warning)
            return
        }
        guard let estate = state.estate, let id = state.focusedDeviceID, let device = estate.devices[id] else {
            state.status = StatusMessage("select a device first", level: .warning)
            return
        }
        let acbHolds = device.cells[.networkOperatorDS].flatMap { estate.ledger.owner(ofCertificate: $0) }?.role == .acb
        let service: ServiceName = acbHolds ? .requestHandover : .updateSecurityCredentials
        state.modal = .launcher(LauncherForm(RequestDraft.defaults(
            for: service, device: device, ledger: estate.ledger, legacy: state.legacyCounters)))
    }

    static func handle(_ key: Key, form: inout LauncherForm, _ state: inout AppState) -> [Effect] {
        let fields = form.fields
        let position = fields.firstIndex(of: form.focus) ?? 0
        let action = KeyMap.action(for: key, in: [.form])
        let editingText = form.focus != .service
        switch action {
        case .back:
            state.modal = nil
            state.status = StatusMessage("request cancelled: nothing was sent")
            return []
        case .nextField:
            form.focus = fields[(position + 1) % fields.count]
        case .previousField:
            form.focus = fields[(position + fields.count - 1) % fields.count]
        case .previousChoice where !editingText, .nextChoice where !editingText:
            guard let estate = state.estate, let device = estate.devices[form.device] else { return [] }
            let service: ServiceName = form.service == .updateSecurityCredentials ? .requestHandover : .updateSecurityCredentials
            form = LauncherForm(RequestDraft.defaults(for: service, device: device, ledger: estate.ledger, legacy: state.legacyCounters))
        case .submit:
            guard !state.readOnly else {
                state.modal = nil
                state.status = StatusMessage("read-only (--read-only): requests cannot be launched", level: .warning)
                return []
            }
            guard let estate = state.estate else { return [] }
            do {
                let draft = try form.draft()
                let preview = try RequestPreview.make(draft, estate: estate, glyphs: state.appearance.glyphs, keys: state.signingKeys)
                state.modal = .confirm(Confirmation(draft: draft, preview: preview, form: form))
                return []
            } catch {
                state.status = StatusMessage(error.description, level: .error, ticks: 10)
            }
        default:
            switch form.focus {
            case .service: break
            case .actingOrganisation: _ = form.actingOrganisation.edit(key)
            case .target: _ = form.target.edit(key)
            case .counter: _ = form.counter.edit(key)
            case .newFloor: _ = form.newFloor.edit(key)
            case .executeAt: _ = form.executeAt.edit(key)
            }
        }
        state.modal = .launcher(form)
        return []
    }

    /// The confirmation before a request is sent: Cancel or Send, focus starting on Cancel.
    static func handle(_ key: Key, confirmation: Confirmation, _ state: inout AppState) -> [Effect] {
        var confirmation = confirmation
        switch KeyMap.action(for: key, in: [.confirm]) {
        case .toggleFocus:
            confirmation.focus = confirmation.focus == .cancel ? .send : .cancel
            state.modal = .confirm(confirmation)
        case .submit:
            if confirmation.focus == .cancel || state.readOnly {
                state.modal = .launcher(confirmation.form)
                state.status = StatusMessage("cancelled: nothing was sent")
            } else if let jump = confirmation.jump, confirmation.typedJump.text.trimmingSpaces != jump.value.description {
                state.status = StatusMessage("type \(jump.value) to send a counter that burns \(jump.burned) counters for good",
                                             level: .error, ticks: 10)
            } else {
                state.modal = .sending(confirmation.draft)
                return [.submit(confirmation.draft)]
            }
        case .back:
            state.modal = .launcher(confirmation.form)
            state.status = StatusMessage("cancelled: nothing was sent")
        default:
            if confirmation.jump != nil {
                editCount(&confirmation.typedJump, key)
                state.modal = .confirm(confirmation)
            }
        }
        return []
    }
}
