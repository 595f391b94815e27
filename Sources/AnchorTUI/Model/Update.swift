import AnchorCore

/// The console's update function: pure, so tests drive it with key sequences.
public enum Update {
    /// The state after a message, and the effects for the runtime to perform.
    public static func update(_ state: AppState, _ message: Message) -> (AppState, [Effect]) {
        var state = state
        let effects = update(&state, message)
        return (state, effects)
    }

    /// Applies a message in place; returns the effects.
    public static func update(_ state: inout AppState, _ message: Message) -> [Effect] {
        var effects = apply(message, &state)
        // Views that show derived data ask for it once per estate, after drawing.
        if state.estate != nil, !effects.contains(.quit), !isBusy(state) {
            switch state.screen {
            case .organisations, .organisation:
                if state.holdings == nil, !effects.contains(.countHoldings) { effects.append(.countHoldings) }
            case .reports:
                let build = Effect.buildReport(state.reportKind, asOf: state.reportAsOf)
                if state.report == nil, !effects.contains(build) { effects.append(build) }
            default: break
            }
        }
        return effects
    }

    /// A job is running or about to: nothing else is asked of the runtime meanwhile.
    static func isBusy(_ state: AppState) -> Bool {
        switch state.modal {
        case .progress, .sending: true
        default: false
        }
    }

    /// The store's contents changed: what was worked out from the old ones goes.
    static func forgetDerived(_ state: inout AppState) {
        state.holdings = nil
        state.report = nil
        state.audit = nil
    }

    private static func apply(_ message: Message, _ state: inout AppState) -> [Effect] {
        switch message {
        case .resize(let size):
            state.size = size
            clampCursors(&state)
            return [.redraw]
        case .tick:
            if var status = state.status, let left = status.ticksLeft {
                status.ticksLeft = left - 1
                state.status = left - 1 <= 0 ? nil : status
            }
            return []
        case .loaded(.loaded(let estate, let notice, let warning)):
            if state.estate != estate { forgetDerived(&state) }
            state.estate = estate
            state.deviceIndex = nil
            state.loadError = nil
            refreshRows(&state, keeping: state.selectedDevice?.id)
            if let warning {
                state.status = StatusMessage(([warning] + (notice.map { [$0] } ?? [])).joined(separator: "; "), level: .warning, ticks: nil)
            } else if let notice { state.status = StatusMessage(notice, level: .info, ticks: nil) }
            else if case .info = state.status?.level, state.status?.text == "Reloading…" { state.status = nil }
            return [.indexDevices]
        case .indexed(let index):
            // Filters scan until the index for this very estate arrives.
            if let estate = state.estate, index.count == estate.devices.count { state.deviceIndex = index }
            return []
        case .loaded(.failed(let reason)):
            state.loadError = reason
            state.status = StatusMessage(reason, level: .error, ticks: nil)
            return []
        case .requestFinished(.processed(let record, let estate)):
            let selected = state.selectedDevice?.id
            state.estate = estate
            forgetDerived(&state)
            // The estate was read afresh for the request, so it may carry other writers' work too.
            state.deviceIndex = nil
            refreshRows(&state, keeping: selected)
            state.modal = .outcome(OutcomeReport(record: record, failure: nil))
            state.status = record.outcome != .rejected
                ? StatusMessage("SRV\(record.service.rawValue) \(record.outcome.rawValue) on \(record.device)", level: .info)
                : StatusMessage("SRV\(record.service.rawValue) REJECTED (\(record.reason?.rawValue ?? "-")): \(record.detail)",
                                level: .error, ticks: 12)
            return [.indexDevices]
        case .requestFinished(.notSent(let reason)):
            state.modal = .outcome(OutcomeReport(record: nil, failure: reason))
            state.status = StatusMessage("not sent: \(reason)", level: .error, ticks: 12)
            return []
        case .jobProgress(let progress):
            var progress = progress
            if case .progress(let shown?) = state.modal { progress.stopping = shown.stopping }
            state.modal = .progress(progress)
            return []
        case .jobFinished(let report):
            return finishJob(report, &state)
        case .holdingsCounted(let holdings):
            state.holdings = holdings
            return []
        case .reportBuilt(let report):
            guard report.kind == state.reportKind else { return [] }
            state.report = report
            state.reportsCursor.clamp(count: report.rowCount, viewport: Layout.masterViewport(state.size))
            return []
        case .auditVerified(let summary):
            state.audit = summary
            state.status = summary.intact
                ? StatusMessage(summary.line(ellipsis: state.appearance.glyphs.ellipsis), ticks: 20)
                : StatusMessage(summary.line(ellipsis: state.appearance.glyphs.ellipsis), level: .error, ticks: nil)
            return []
        case .key(let key):
            if case .progress = state.modal { return handleWhileRunning(key, &state) }
            if key == .control("c") { return [.quit] }
            if let modal = state.modal { return handle(key, modal: modal, &state) }
            return handle(key, on: state.screen, &state)
        }
    }

    // MARK: Screens

    static func contexts(for screen: Screen) -> [KeyContext] {
        switch screen {
        case .devices: [.devices, .list, .global]
        case .device: [.device, .list, .global]
        case .counters: [.counters, .list, .global]
        case .requests: [.requests, .list, .global]
        case .organisations, .organisation: [.organisations, .list, .global]
        case .reports: [.reports, .list, .global]
        }
    }

    private static func handle(_ key: Key, on screen: Screen, _ state: inout AppState) -> [Effect] {
        guard let action = KeyMap.action(for: key, in: contexts(for: screen)) else { return [] }
        switch action {
        case .moveDown: move(&state, by: 1)
        case .moveUp: move(&state, by: -1)
        case .pageDown: move(&state, by: pageSize(state))
        case .pageUp: move(&state, by: -pageSize(state))
        case .top: move(&state, to: 0)
        case .bottom: move(&state, to: Int.max / 2)
        case .open:
            switch screen {
            case .devices:
                if let device = state.selectedDevice { push(.device(device.id), &state) }
            case .requests:
                if let record = state.requestRecord(at: state.requestsCursor.selected) { push(.device(record.device), &state) }
            case .organisations:
                if let organisation = state.selectedOrganisation { push(.organisation(organisation.id), &state) }
            case .reports:
                if let device = state.selectedReportDevice { push(.device(device), &state) }
            default: break
            }
        case .back: goBack(&state)
        case .quit:
            if state.stack.count > 1 { goBack(&state) } else { return [.quit] }
        case .filter: state.modal = .filter(TextField(state.filterText))
        case .sortNextColumn:
            let columns = DeviceColumn.allCases
            if let column = state.sort.column, let index = columns.firstIndex(of: column) {
                state.sort = DeviceSort(column: index + 1 < columns.count ? columns[index + 1] : nil)
            } else {
                state.sort = DeviceSort(column: columns[0])
            }
            refreshRows(&state, keeping: state.selectedDevice?.id)
            state.status = StatusMessage("sorted by \(sortDescription(state.sort))")
        case .reverseSort:
            state.sort.ascending.toggle()
            refreshRows(&state, keeping: state.selectedDevice?.id)
            state.status = StatusMessage("sorted by \(sortDescription(state.sort))")
        case .sortByColumn:
            guard case .character(let digit) = key, let number = digit.wholeNumberValue,
                  let column = DeviceColumn(rawValue: number - 1) else { return [] }
            state.sort = state.sort.column == column ? DeviceSort(column: column, ascending: !state.sort.ascending)
                : DeviceSort(column: column)
            refreshRows(&state, keeping: state.selectedDevice?.id)
            state.status = StatusMessage("sorted by \(sortDescription(state.sort))")
        case .help: state.modal = .help(scroll: 0)
        case .palette: state.modal = .palette(TextField())
        case .nextView, .previousView:
            let views: [Screen] = [.devices, .requests(nil), .organisations, .reports]
            let current = views.firstIndex(of: state.stack.first ?? .devices) ?? 0
            let next = (current + (action == .nextView ? 1 : views.count - 1)) % views.count
            switchTo(views[next], &state)
        case .requestLog:
            if case .requests = screen { return [] }
            push(.requests(screen.device), &state)
        case .organisations:
            if screen != .organisations { push(.organisations, &state) }
        case .reports:
            if screen != .reports { push(.reports, &state) }
        case .subscribe: openLifecycle(.subscribe, &state)
        case .cease: openLifecycle(.cease, &state)
        case .revoke: openLifecycle(.revoke, &state)
        case .verifyAudit:
            state.status = StatusMessage("Verifying the audit trail…", ticks: nil)
            return [.verifyAudit]
        case .recoveryEvent: openRecovery(&state)
        case .switchReport:
            state.reportKind = state.reportKind == .postCommissioning ? .counterRisk : .postCommissioning
            state.report = nil
            state.reportsCursor = ListCursor()
        case .reportDate:
            state.modal = .asOf(TextField(state.reportAsOf.map { $0.dateOnly } ?? ""))
        case .reload:
            state.status = StatusMessage("Reloading…", ticks: nil)
            return [.load]
        case .copyDeviceID:
            guard let id = state.focusedDeviceID else { return [] }
            state.status = StatusMessage("copied \(id) (OSC 52; select it here if your terminal blocks that)", ticks: 10)
            return [.copy(id.description)]
        case .counterHistory:
            if let id = state.focusedDeviceID { push(.counters(id), &state) }
        case .launchRequest:
            openLauncher(&state)
        default:
            break
        }
        return []
    }

    private static func pageSize(_ state: AppState) -> Int {
        switch state.screen {
        case .devices: Layout.devicesViewport(state.size)
        case .requests, .organisations, .reports: Layout.masterViewport(state.size)
        default: max(1, Layout.bodyRows(state.size) - 1)
        }
    }

    private static func move(_ state: inout AppState, by delta: Int) {
        switch state.screen {
        case .devices: move(&state, to: state.devicesCursor.selected + delta)
        case .requests: move(&state, to: state.requestsCursor.selected + delta)
        case .organisations: move(&state, to: state.organisationsCursor.selected + delta)
        case .reports: move(&state, to: state.reportsCursor.selected + delta)
        default: move(&state, to: state.pageScroll + delta)
        }
    }

    private static func move(_ state: inout AppState, to row: Int) {
        switch state.screen {
        case .devices:
            state.devicesCursor.move(to: row, count: state.deviceRows.count, viewport: Layout.devicesViewport(state.size))
        case .requests:
            state.requestsCursor.move(to: row, count: state.requestRows.count, viewport: Layout.masterViewport(state.size))
        case .organisations:
            state.organisationsCursor.move(
                to: row, count: state.estate?.ledger.organisations.count ?? 0, viewport: Layout.masterViewport(state.size))
        case .reports:
            state.reportsCursor.move(to: row, count: state.report?.rowCount ?? 0, viewport: Layout.masterViewport(state.size))
        case .device, .counters, .organisation:
            let lines = Pages.lines(for: state).count
            state.pageScroll = max(0, min(row, lines - Layout.bodyRows(state.size)))
        }
    }

    private static func push(_ screen: Screen, _ state: inout AppState) {
        state.stack.append(screen)
        state.pageScroll = 0
        if case .requests = screen { state.requestsCursor = ListCursor() }
    }

    private static func switchTo(_ screen: Screen, _ state: inout AppState) {
        state.stack = [screen]
        state.pageScroll = 0
        if case .requests = screen { state.requestsCursor = ListCursor() }
    }

    private static func goBack(_ state: inout AppState) {
        if state.stack.count > 1 {
            state.stack.removeLast()
            state.pageScroll = 0
            if case .requests = state.screen { state.requestsCursor = ListCursor() }
        } else if state.screen == .devices, !state.filterText.isEmpty {
            applyFilter("", &state)
        } else {
            state.status = StatusMessage("top level: press q to quit")
        }
    }

    private static func openLauncher(_ state: inout AppState) {
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

    // MARK: Dialogs

    private static func handle(_ key: Key, modal: Modal, _ state: inout AppState) -> [Effect] {
        switch modal {
        case .help(let scroll):
            switch KeyMap.action(for: key, in: [.overlay]) {
            case .moveDown: state.modal = .help(scroll: min(scroll + 1, HelpOverlay.maxScroll(state)))
            case .moveUp: state.modal = .help(scroll: max(0, scroll - 1))
            case .pageDown: state.modal = .help(scroll: min(scroll + 10, HelpOverlay.maxScroll(state)))
            case .pageUp: state.modal = .help(scroll: max(0, scroll - 10))
            case .top: state.modal = .help(scroll: 0)
            case .bottom: state.modal = .help(scroll: HelpOverlay.maxScroll(state))
            default:
                if key == .escape || key == .character("q") || key == .character("?") || key == .enter { state.modal = nil }
            }
            return []
        case .filter(var field):
            switch key {
            case .escape: state.modal = nil
            case .enter: applyFilter(field.text, &state)
            default:
                _ = field.edit(key)
                state.modal = .filter(field)
            }
            return []
        case .palette(var field):
            switch key {
            case .escape: state.modal = nil
            case .enter:
                state.modal = nil
                return runCommand(field.text, &state)
            default:
                _ = field.edit(key)
                state.modal = .palette(field)
            }
            return []
        case .launcher(var form):
            return handle(key, form: &form, &state)
        case .confirm(var confirmation):
            switch KeyMap.action(for: key, in: [.confirm]) {
            case .toggleFocus:
                confirmation.focus = confirmation.focus == .cancel ? .send : .cancel
                state.modal = .confirm(confirmation)
            case .submit:
                if confirmation.focus == .cancel || state.readOnly {
                    state.modal = .launcher(confirmation.form)
                    state.status = StatusMessage("cancelled: nothing was sent")
                } else {
                    state.modal = .sending(confirmation.draft)
                    return [.submit(confirmation.draft)]
                }
            case .back:
                state.modal = .launcher(confirmation.form)
                state.status = StatusMessage("cancelled: nothing was sent")
            default: break
            }
            return []
        case .sending:
            return []
        case .outcome, .jobOutcome:
            if key == .escape || key == .enter || key == .character("q") || key == .character(" ") { state.modal = nil }
            return []
        case .lifecycleConfirm(var confirmation):
            return handle(key, lifecycle: &confirmation, &state)
        case .recoveryForm(var form):
            return handle(key, recovery: &form, &state)
        case .recoveryConfirm(var preview, let form):
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
        case .progress:
            return handleWhileRunning(key, &state)
        case .asOf(var field):
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

    // MARK: Lifecycle, Recovery Events, bulk jobs

    private static func openLifecycle(_ action: OrganisationAction, _ state: inout AppState) {
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

    private static func handle(_ key: Key, lifecycle confirmation: inout LifecycleConfirmation, _ state: inout AppState) -> [Effect] {
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

    /// Digits and editing keys only: a typed count is a number.
    private static func editCount(_ field: inout TextField, _ key: Key) {
        if case .character(let character) = key, !character.isASCII || !character.isNumber { return }
        _ = field.edit(key)
    }

    private static func openRecovery(_ state: inout AppState) {
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

    private static func handle(_ key: Key, recovery form: inout RecoveryForm, _ state: inout AppState) -> [Effect] {
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
                let preview = try form.preview(estate)
                guard preview.count > 0 else {
                    state.status = StatusMessage("no device to do: \(preview.skipped) matching already hold the replacement with a recorded counter",
                                                 level: .warning, ticks: 10)
                    break
                }
                state.modal = .recoveryConfirm(preview, form: form)
                return []
            } catch {
                state.status = StatusMessage(error.description, level: .error, ticks: 10)
            }
        default:
            _ = form.focusedField.edit(key)
        }
        state.modal = .recoveryForm(form)
        return []
    }

    /// While a job runs the runtime feeds keys here between groups: Esc or Ctrl-C stop after the current one.
    private static func handleWhileRunning(_ key: Key, _ state: inout AppState) -> [Effect] {
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

    private static func finishJob(_ report: JobReport, _ state: inout AppState) -> [Effect] {
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

    private static func handle(_ key: Key, form: inout LauncherForm, _ state: inout AppState) -> [Effect] {
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
                let preview = try RequestPreview.make(draft, estate: estate, glyphs: state.appearance.glyphs)
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

    // MARK: Filter, palette

    private static func applyFilter(_ text: String, _ state: inout AppState) {
        do {
            let filter = try DeviceFilter(parsing: text)
            state.filterText = text.trimmingSpaces
            state.filter = filter
            state.modal = nil
            refreshRows(&state, keeping: state.selectedDevice?.id)
            let total = state.estate?.devices.count ?? 0
            state.status = filter.terms.isEmpty ? StatusMessage("filter cleared: \(total) devices")
                : StatusMessage("\(state.deviceRows.count) of \(total) devices match '\(state.filterText)'")
        } catch {
            state.status = StatusMessage("filter: \(error.description)", level: .error, ticks: 10)
        }
    }

    /// The command palette's commands, for its hint line and help.
    public static let paletteCommands =
        "DEVICE-ID · devices · log · orgs · reports · audit · recovery · legacy [on|off] · filter EXPR · reload · help · quit"

    private static func runCommand(_ text: String, _ state: inout AppState) -> [Effect] {
        let words = text.split(separator: " ").map(String.init)
        guard let command = words.first?.lowercased() else { return [] }
        let argument = words.dropFirst().joined(separator: " ")
        switch command {
        case "q", "quit", "exit": return [.quit]
        case "devices", "d", "dev": switchTo(.devices, &state)
        case "log", "requests", "l": switchTo(.requests(nil), &state)
        case "orgs", "organisations", "organizations", "o": switchTo(.organisations, &state)
        case "reports", "report", "p": switchTo(.reports, &state)
        case "audit":
            state.status = StatusMessage("Verifying the audit trail…", ticks: nil)
            return [.verifyAudit]
        case "recovery":
            if state.stack != [.devices] { switchTo(.devices, &state) }
            openRecovery(&state)
        case "help", "h": state.modal = .help(scroll: 0)
        case "reload", "r":
            state.status = StatusMessage("Reloading…", ticks: nil)
            return [.load]
        case "filter", "f": applyFilter(argument, &state)
        case "legacy":
            switch argument.lowercased() {
            case "on": state.legacyCounters = true
            case "off": state.legacyCounters = false
            default: state.legacyCounters.toggle()
            }
            state.status = state.legacyCounters
                ? StatusMessage("LEGACY COUNTERS ON: SRV6.21 ignores the recorded counter",
                                level: .warning, ticks: 12)
                : StatusMessage("legacy counters off: SRV6.21 uses the recorded counter rule")
        default:
            let idText = command == "device" || command == "dev" ? argument : text.trimmingSpaces
            guard let id = EUI64(idText.replacingSpaces) else {
                state.status = StatusMessage("unknown command '\(text)'; try \(paletteCommands)", level: .error, ticks: 10)
                return []
            }
            jump(to: id, &state)
        }
        return []
    }

    private static func jump(to id: EUI64, _ state: inout AppState) {
        guard let estate = state.estate, estate.devices[id] != nil else {
            state.status = StatusMessage("no device \(id)", level: .error, ticks: 10)
            return
        }
        if !state.deviceRows.contains(where: { estate.devices.devices[Int($0)].id == id }) {
            applyFilter("", &state)
        }
        state.stack = [.devices]
        refreshRows(&state, keeping: id)
        push(.device(id), &state)
        state.status = StatusMessage("device \(id)")
    }

    // MARK: Rows

    /// Recomputes the devices table's rows, keeping a device selected if it is still shown.
    static func refreshRows(_ state: inout AppState, keeping id: EUI64?) {
        guard let estate = state.estate else { return }
        state.deviceRows = DeviceList.rows(estate, index: state.deviceIndex, filter: state.filter, sort: state.sort)
        if let id, let row = state.deviceRows.firstIndex(where: { estate.devices.devices[Int($0)].id == id }) {
            state.devicesCursor.selected = row
        }
        clampCursors(&state)
    }

    static func clampCursors(_ state: inout AppState) {
        state.devicesCursor.clamp(count: state.deviceRows.count, viewport: Layout.devicesViewport(state.size))
        state.requestsCursor.clamp(count: state.requestRows.count, viewport: Layout.masterViewport(state.size))
        state.organisationsCursor.clamp(count: state.estate?.ledger.organisations.count ?? 0,
                                        viewport: Layout.masterViewport(state.size))
        state.reportsCursor.clamp(count: state.report?.rowCount ?? 0, viewport: Layout.masterViewport(state.size))
    }

    static func sortDescription(_ sort: DeviceSort) -> String {
        guard let column = sort.column else { return sort.ascending ? "store order" : "store order, reversed" }
        return column.title.lowercased() + (sort.ascending ? ", ascending" : ", descending")
    }
}

extension String {
    var replacingSpaces: String { filter { $0 != " " } }
}
