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
        let shownBefore = state.screen
        var effects = apply(message, &state)
        scopeStatus(&state, shownBefore: shownBefore)
        // Views that show derived data ask for it once per estate, after drawing.
        if state.estate != nil, !effects.contains(.quit), !isBusy(state) {
            switch state.screen {
            case .organisations, .organisation:
                if state.holdings == nil, !effects.contains(.countHoldings) { effects.append(.countHoldings) }
            case .reports:
                let build = Effect.buildReport(state.reportKind, asOf: state.reportAsOf)
                if state.report == nil, state.reportFailed != state.reportKind, state.reportRead == nil, !effects.contains(build) {
                    effects.append(build)
                    // Pages shown: read from the database off the keys, one read at a time.
                    if state.paging != nil { state.reportRead = ReportRead(kind: state.reportKind, asOf: state.reportAsOf) }
                }
            case .device(let id):
                // Asked for once each time the page opens on another device.
                if state.deviceCertificates?.device != id {
                    state.deviceCertificates = .issuing(id)
                    effects.append(.loadDeviceCertificates(id))
                }
            default: break
            }
        }
        return effects
    }

    /// Status messages belong to the view that raised them: a new one is stamped with the
    /// screen shown, and one raised on another view goes when the view changes.
    static func scopeStatus(_ state: inout AppState, shownBefore: Screen) {
        guard var status = state.status, !status.consoleWide else { return }
        if let view = status.view {
            if view != state.screen, state.screen != shownBefore { state.status = nil }
        } else {
            status.view = state.screen
            state.status = status
        }
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
        state.reportFailed = nil
        state.reportRead?.outdated = true
        state.audit = nil
    }

    /// Whether a report that arrived answers what is asked now; while pages are shown it was
    /// read from the database, and the read has ended either way (a newer ask is read next).
    static func reportAnswersTheAsk(_ kind: ReportKind, _ state: inout AppState) -> Bool {
        guard state.paging != nil else { return kind == state.reportKind }
        defer { state.reportRead = nil }
        return state.reportRead?.answers(state.reportKind, asOf: state.reportAsOf) == true && kind == state.reportKind
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
        case .previewed(let preview):
            guard state.estate == nil else { return [] }
            state.estate = preview.estate
            state.previewOf = preview.deviceCount
            refreshRows(&state, keeping: nil)
            state.status = StatusMessage(Self.previewStatus(preview), level: .info, ticks: nil, consoleWide: true)
            return []
        case .paged(let page):
            showPage(page, &state)
            return []
        case .pageFailed(let reason):
            pageFailed(reason, &state)
            return []
        case .loaded(.loaded(let estate, let notice, let warning)):
            // Rows are positions in the estate shown (a page's differ from the whole store's).
            let selected = state.selectedDevice?.id
            if state.previewOf != nil {
                state.previewOf = nil
                state.paging = nil
                if state.status?.level == .info { state.status = nil }
            }
            // Devices over another snapshot's rows are taken to differ rather than compared row by row.
            let unchanged = state.estate.map { $0.devices.sharesRows(with: estate.devices) && $0 == estate } ?? false
            if !unchanged { forgetDerived(&state) }
            state.estate = estate
            state.deviceIndex = nil
            state.loadError = nil
            refreshRows(&state, keeping: selected)
            if let warning {
                state.status = StatusMessage(([warning] + (notice.map { [$0] } ?? [])).joined(separator: "; "), level: .warning, ticks: nil,
                                             consoleWide: true)
            } else if let notice { state.status = StatusMessage(notice, level: .info, ticks: nil, consoleWide: true) }
            else if case .info = state.status?.level, state.status?.text == "Reloading…" { state.status = nil }
            return [.indexDevices]
        case .indexed(let index):
            // Filters scan until the index for this very estate arrives.
            if let estate = state.estate, index.count == estate.devices.count { state.deviceIndex = index }
            return []
        case .loaded(.failed(let reason)):
            state.loadError = reason
            state.status = StatusMessage(reason, level: .error, ticks: nil, consoleWide: true)
            return []
        case .dueAlertsProcessed(.nothingDue), .dueAlertsProcessed(.processed(summary: nil)):
            return []
        case .dueAlertsProcessed(.processed(let summary?)):
            // The commit is seen as another writer's: the page is read again.
            state.status = StatusMessage(summary, level: .info, ticks: 10)
            return []
        case .dueAlertsProcessed(.failed(let reason)):
            state.status = StatusMessage("due alerts were not processed: \(reason)", level: .warning, ticks: 10)
            return []
        case .requestFinished(.processed(let record, let estate)):
            var effects: [Effect] = []
            forgetDerived(&state)
            if let estate {
                let selected = state.selectedDevice?.id
                state.estate = estate
                // The estate was read afresh for the request, so it may carry other writers' work too.
                state.deviceIndex = nil
                refreshRows(&state, keeping: selected)
                effects.append(.indexDevices)
            } else {
                // The writer held only the device it decided on: what is shown is read again.
                effects.append(.load)
            }
            state.modal = .outcome(OutcomeReport(record: record, failure: nil))
            state.status = record.outcome != .rejected
                ? StatusMessage("SRV\(record.service.rawValue) \(record.outcome.rawValue) on \(record.device)", level: .info)
                : StatusMessage("SRV\(record.service.rawValue) REJECTED (\(record.reason?.rawValue ?? "-")): \(record.detail)",
                                level: .error, ticks: 12)
            return effects
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
        case .lifecycleCounted(let action, let organisation, let counts):
            lifecycleCounted(action, organisation: organisation, counts, &state)
            return []
        case .recoveryPlanned(let form, let planned):
            recoveryPlanned(form, planned, &state)
            return []
        case .holdingsFailed(let reason):
            // Counts unknown, not asked for again until the store changes.
            state.holdings = OrganisationHoldings(counts: [:])
            state.status = StatusMessage("could not count the devices holding each organisation's certificates: \(reason)",
                                         level: .error, ticks: 10)
            return []
        case .deviceCertificatesLoaded(let certificates):
            state.deviceCertificates = certificates
            return []
        case .reportBuilt(let report):
            guard reportAnswersTheAsk(report.kind, &state) else { return [] }
            state.report = report
            state.reportsCursor.clamp(count: state.reportRows.count, viewport: Layout.masterViewport(state.size))
            if state.paging != nil {
                state.status = StatusMessage("\(report.kind.title) read from the database: \(report.rowCount) rows (R reads it again)", ticks: 10)
            }
            return []
        case .reportProgress(let kind, let rows):
            guard kind == state.reportKind, state.screen == .reports else { return [] }
            state.status = StatusMessage("reading the \(kind.rawValue) report from the database: \(rows) rows so far\(state.appearance.glyphs.ellipsis)",
                                         ticks: nil)
            return []
        case .reportFailed(let kind, let reason):
            guard reportAnswersTheAsk(kind, &state) else { return [] }
            state.reportFailed = kind
            state.status = StatusMessage("could not read the \(kind.rawValue) report: \(reason) (R tries again)", level: .error, ticks: nil)
            return []
        case .auditVerified(let summary):
            state.audit = summary
            state.status = summary.intact
                ? StatusMessage(summary.line(ellipsis: state.appearance.glyphs.ellipsis), ticks: 20)
                : StatusMessage(summary.line(ellipsis: state.appearance.glyphs.ellipsis), level: .error, ticks: nil)
            return []
        case .signingKeysChecked(let check):
            state.signingKeys = check
            return []
        case .mouse(let event):
            guard state.mouseEnabled else { return [] }
            if case .help(let scroll) = state.modal {
                // The wheel scrolls the help overlay as j and k do; other dialogs take keys only.
                let step = event.kind == .wheelDown ? wheelStep : event.kind == .wheelUp ? -wheelStep : 0
                state.modal = .help(scroll: max(0, min(scroll + step, HelpOverlay.maxScroll(state))))
                return []
            }
            guard state.modal == nil else { return [] }
            return handle(event, &state)
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
        guard let action = KeyMap.action(for: key, in: contexts(for: screen)) else {
            state.status = StatusMessage("\(key.label) does nothing in \(screen.viewName) (? lists the keys)", ticks: 4)
            return []
        }
        if state.paging != nil, screen == .devices, let effects = handlePaged(action, key: key, &state) { return effects }
        switch action {
        case .moveDown: move(&state, by: 1)
        case .moveUp: move(&state, by: -1)
        case .pageDown: move(&state, by: pageSize(state))
        case .pageUp: move(&state, by: -pageSize(state))
        case .top: move(&state, to: 0)
        case .bottom: move(&state, to: Int.max / 2)
        case .open: return open(on: screen, &state)
        case .back: goBack(&state)
        case .quit:
            if state.stack.count > 1 { goBack(&state) } else { return [.quit] }
        case .filter: openFilter(&state)
        case .sortNextColumn, .reverseSort, .sortByColumn:
            if case .devices = screen { sort(action, key: key, &state) } else { sortList(action, key: key, &state) }
        case .nextProblem, .previousProblem: nextProblem(forward: action == .nextProblem, &state)
        case .mark: toggleMark(&state)
        case .help: state.modal = .help(scroll: 0)
        case .palette: openPalette(TextField(), &state)
        case .nextView, .previousView:
            let views = Screen.topLevel
            let current = views.firstIndex(of: state.stack.first ?? .devices) ?? 0
            let next = (current + (action == .nextView ? 1 : views.count - 1)) % views.count
            switchTo(views[next], &state)
        case .requestLog:
            if let device = screen.device, screen != .requests(device) {
                push(.requests(device), &state)
            } else {
                showTopLevel(.requests(nil), &state)
            }
        case .organisations: showTopLevel(.organisations, &state)
        case .reports: showTopLevel(.reports, &state)
        case .subscribe: return openLifecycle(.subscribe, &state)
        case .cease: return openLifecycle(.cease, &state)
        case .revoke: return openLifecycle(.revoke, &state)
        case .verifyAudit:
            state.status = StatusMessage("Verifying the audit trail…", ticks: nil)
            return [.verifyAudit]
        case .recoveryEvent: openRecovery(&state)
        case .switchReport: switchReport(&state)
        case .reportDate: state.modal = .asOf(TextField(state.reportAsOf.map { $0.dateOnly } ?? ""))
        case .reload:
            // Pages shown: what was worked out from the database (a report) is read again too.
            if state.paging != nil { forgetDerived(&state) }
            state.status = StatusMessage("Reloading…", ticks: nil)
            return [.load]
        case .copyDeviceID: return copyDeviceID(&state)
        case .counterHistory:
            if let id = state.focusedDeviceID { return showDevice(.counters(id), &state) } else { nothingSelected(&state) }
        case .launchRequest:
            if screen == .devices, !state.marked.isEmpty {
                openMarkedConfirm(&state)
                return []
            }
            openLauncher(&state)
            if case .launcher = state.modal { return [.checkSigningKeys] }
        default:
            state.status = StatusMessage("\(key.label) does nothing in \(screen.viewName)", ticks: 4)
        }
        return []
    }

    /// A key that acts on the selected row, with no row selected.
    static func nothingSelected(_ state: inout AppState) {
        state.status = StatusMessage("no row selected", level: .warning, ticks: 4)
    }

    // MARK: Dialogs

    /// Keys while a dialog is open go to that dialog's handler, in the file of its screen.
    private static func handle(_ key: Key, modal: Modal, _ state: inout AppState) -> [Effect] {
        switch modal {
        case .help(let scroll): handleHelp(key, scroll: scroll, &state)
        case .filter(let field): handleFilter(key, field: field, &state)
        case .palette(let field): handlePalette(key, field: field, &state)
        case .launcher(var form): handle(key, form: &form, &state)
        case .confirm(let confirmation): handle(key, confirmation: confirmation, &state)
        case .sending: []
        case .outcome, .jobOutcome: closeOutcome(key, &state)
        case .lifecycleConfirm(var confirmation): handle(key, lifecycle: &confirmation, &state)
        case .recoveryForm(var form): handle(key, recovery: &form, &state)
        case .recoveryConfirm(let preview, let form): handle(key, recoveryConfirmation: preview, form: form, &state)
        case .progress: handleWhileRunning(key, &state)
        case .asOf(let field): handleAsOf(key, field: field, &state)
        case .markedConfirm(let confirmation): handle(key, marked: confirmation, &state)
        }
    }

    /// An outcome panel closes on Esc, Enter, q or Space.
    private static func closeOutcome(_ key: Key, _ state: inout AppState) -> [Effect] {
        if key == .escape || key == .enter || key == .character("q") || key == .character(" ") { state.modal = nil }
        return []
    }
}
