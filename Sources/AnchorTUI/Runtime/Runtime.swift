import AnchorCore
import Foundation

/// What the backend reports.
public enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    case resize(Size)
    /// A click, double click or wheel turn (only while the mouse is on).
    case mouse(MouseEvent)
    /// Nothing happened within the timeout.
    case idle
    /// SIGTERM, SIGHUP or SIGINT arrived: leave now.
    case terminate
}

/// A terminal the runtime can draw on and read keys from. Only the backend touches the real one.
public protocol TerminalDevice {
    /// The current size.
    var size: Size { get }
    /// Waits up to `milliseconds` for a key, a resize or a signal.
    mutating func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent
    /// Puts a buffer on the screen (only what changed).
    mutating func draw(_ buffer: CellBuffer)
    /// Forces the next draw to repaint everything.
    mutating func invalidate()
    /// Puts text on the system clipboard (OSC 52).
    mutating func copy(_ text: String)
    /// Reports the mouse (clicks, double clicks, the wheel), or leaves it to the terminal's text selection.
    mutating func setMouse(_ enabled: Bool)
}

extension TerminalDevice {
    /// A terminal without a mouse ignores the request.
    public mutating func setMouse(_ enabled: Bool) {}
}

/// Performs the effects the update function asks for and feeds the results back.
///
/// The loop: draw, wait for an event, update, perform effects, draw. Time comes from the
/// runtime's clock (for request stamps) and its ticks; the update function never reads it.
public enum Runtime {
    /// Runs the console until the user quits or a signal arrives; returns the final state.
    /// - Parameters:
    ///   - state: the starting state.
    ///   - terminal: where to draw.
    ///   - store: loads the store and commits requests.
    ///   - now: the time stamped on requests.
    @discardableResult
    public static func run(
        _ state: AppState, terminal: inout some TerminalDevice, store: some StoreService, now: () -> Timestamp
    ) -> AppState {
        var state = state
        state.size = terminal.size
        terminal.setMouse(state.mouseEnabled)
        terminal.draw(Renderer.render(state))
        // The preview effect asks for the load when the store is not shown a page at a time.
        var pending: [Effect] = [.preview]
        let worker = EffectWorker(store)
        // Reports read from a database take a while: they run beside the worker, so pages,
        // requests and jobs do not wait for them.
        let reader = EffectWorker(store)
        let pageAsks = NewestAsk()
        // A store shown a page at a time is never read whole.
        var paged = false
        var indexAfterDrawing = false
        var storeToken = store.changeToken()
        // The store as it was when the console last tried to let due commands execute: not
        // again until the store changes, so a store locked by another writer is not retried every tick.
        var dueAttemptToken: String?
        let clock = ContinuousClock()
        var lastTick = clock.now
        var ticks = 0
        while true {
            while !pending.isEmpty {
                let effect = pending.removeFirst()
                switch effect {
                case .preview:
                    if let page = store.firstPage() {
                        paged = true
                        pending += Update.update(&state, .paged(page))
                        terminal.draw(Renderer.render(state))
                    } else {
                        if let preview = store.preview() {
                            pending += Update.update(&state, .previewed(preview))
                            terminal.draw(Renderer.render(state))
                        }
                        pending.append(.load)
                    }
                case .load where paged:
                    // As a load does for a store read whole: due commands execute, then the page is read.
                    if !state.readOnly { worker.run { service, post, _ in post(.dueAlertsProcessed(service.processDueAlerts())) } }
                    if let paging = state.paging { pending.append(.fetchPage(paging.start, state.filter, state.sort)) }
                case .load:
                    worker.run { service, post, _ in post(.loaded(service.load())) }
                case .fetchPage(let start, let filter, let sort):
                    // A page is a few index reads, but a filter beyond no=ORG is counted in a pass over its rows.
                    // A filter typed a key at a time asks for a page per key: each waits a moment for the
                    // next key, and a page asked for before another is not read at all.
                    let ask = pageAsks.next()
                    let typed = if case .filter = state.modal { true } else { false }
                    worker.run { service, post, _ in
                        if typed { Thread.sleep(forTimeInterval: Self.typingPause) }
                        guard pageAsks.isNewest(ask) else { return }
                        switch service.page(start, filter: filter, sort: sort) {
                        case .success(let page): post(.paged(page))
                        case .failure(let error): post(.pageFailed(error.description))
                        }
                    }
                case .submit(let draft):
                    worker.run { service, post, _ in post(.requestFinished(service.submit(draft))) }
                case .indexDevices:
                    indexAfterDrawing = true
                case .runJob(let job):
                    worker.run { service, post, stopRequested in
                        // Each group is reported once durable; the operator's Esc is seen between groups.
                        let report = service.perform(job) { progress in
                            post(.jobProgress(progress))
                            return !stopRequested()
                        }
                        post(.jobFinished(report))
                    }
                case .countHoldings where paged:
                    worker.run { service, post, _ in
                        switch service.holdings() {
                        case .success(let holdings): post(.holdingsCounted(holdings))
                        case .failure(let error): post(.holdingsFailed(error.description))
                        }
                    }
                case .countHoldings:
                    terminal.draw(Renderer.render(state))
                    if let estate = state.estate {
                        pending += Update.update(&state, .holdingsCounted(OrganisationHoldings(estate: estate)))
                    }
                case .buildReport(let kind, let asOf) where paged:
                    // Asked for one at a time (``AppState/reportRead``).
                    let asOf = asOf ?? now()
                    reader.run { service, post, _ in
                        switch service.report(kind, asOf: asOf, progress: { post(.reportProgress(kind, rows: $0)) }) {
                        case .success(let report): post(.reportBuilt(report))
                        case .failure(let error): post(.reportFailed(kind, error.description))
                        }
                    }
                case .buildReport(let kind, let asOf):
                    terminal.draw(Renderer.render(state))
                    if let estate = state.estate {
                        pending += Update.update(&state, .reportBuilt(ReportSnapshot.make(kind, estate: estate, asOf: asOf ?? now())))
                    }
                case .countForLifecycle(let action, let organisation):
                    worker.run { service, post, _ in
                        post(.lifecycleCounted(action, organisation: organisation, service.lifecycleCounts(organisation)))
                    }
                case .planRecovery(let form):
                    worker.run { service, post, _ in post(.recoveryPlanned(form, service.planRecovery(form))) }
                case .verifyAudit:
                    worker.run { service, post, _ in post(.auditVerified(service.verifyAudit())) }
                case .checkSigningKeys:
                    if let estate = state.estate {
                        pending += Update.update(&state, .signingKeysChecked(store.signingKeys(for: estate.ledger)))
                    }
                case .loadDeviceCertificates(let id):
                    pending += Update.update(&state, .deviceCertificatesLoaded(store.deviceCertificates(id)))
                case .copy(let text):
                    terminal.copy(text)
                case .setMouse(let enabled):
                    terminal.setMouse(enabled)
                case .redraw:
                    terminal.invalidate()
                case .quit:
                    return finish(state, worker: worker)
                }
            }
            terminal.draw(Renderer.render(state))
            // What the store's work brought back, each drawn as it is taken in (a job group by group).
            let finished = worker.take() + reader.take()
            if !finished.isEmpty {
                for message in finished {
                    if message.changesTheStore { storeToken = store.changeToken() }
                    // Not tried again until the store changes (as for a store read whole).
                    if case .dueAlertsProcessed(.failed) = message { dueAttemptToken = store.changeToken() }
                    pending += Update.update(&state, message)
                    terminal.draw(Renderer.render(state))
                }
                continue
            }
            if indexAfterDrawing, let estate = state.estate {
                // The first screen is already up; keys typed meanwhile wait in the terminal's queue.
                indexAfterDrawing = false
                pending += Update.update(&state, .indexed(DeviceIndex(devices: estate.devices, ledger: estate.ledger)))
                continue
            }
            // While the store works, keys are read without waiting and the result is waited for
            // in short steps; otherwise the runtime waits for a key.
            let event: TerminalEvent
            if worker.isBusy || reader.isBusy {
                event = terminal.nextEvent(timeoutMilliseconds: 0)
                if case .idle = event { (worker.isBusy ? worker : reader).wait(milliseconds: 30) }
            } else {
                event = terminal.nextEvent(timeoutMilliseconds: 250)
            }
            switch event {
            case .key(let key):
                pending += Update.update(&state, .key(key))
                if Update.stopRequested(state) { worker.requestStop() }
            case .mouse(let event): pending += Update.update(&state, .mouse(event))
            case .resize(let size): pending += Update.update(&state, .resize(size))
            case .idle: break
            case .terminate: return finish(state, worker: worker)
            }
            if clock.now - lastTick >= .seconds(1) {
                lastTick = clock.now
                ticks += 1
                pending += Update.update(&state, .tick)
                // Every second, pick up what other writers (the CLI, other operators) committed; every
                // few seconds, let due future-dated commands execute (the load processes their
                // alerts); both only when nothing is open.
                if let paging = state.paging, state.modal == nil {
                    // Pages are shown: another writer's commit reads the page again; every few
                    // seconds the store is asked whether a command is due (two index reads).
                    let token = store.changeToken()
                    if token != storeToken {
                        storeToken = token
                        pending.append(.fetchPage(paging.start, state.filter, state.sort))
                    } else if ticks % 3 == 0, !state.readOnly, dueAttemptToken != token, !worker.isBusy {
                        worker.run { service, post, _ in post(.dueAlertsProcessed(service.processDueAlerts())) }
                    }
                } else if state.modal == nil, let estate = state.estate {
                    let token = store.changeToken()
                    let due = ticks % 3 == 0 && !state.readOnly && dueAttemptToken != token && estate.hasDueAlertWork(at: now())
                    if due { dueAttemptToken = token }
                    if token != storeToken || due {
                        storeToken = token
                        pending.append(.load)
                    }
                }
            }
        }
    }
}

extension Runtime {
    /// How long a page asked for by a key typed in the filter prompt waits for the next key.
    static let typingPause: TimeInterval = 0.25

    /// Leaving: a running job stops after its current group, the work under way ends (nothing
    /// is left half-sent), and what it brought back is taken in. A report being read is not
    /// waited for: it writes nothing.
    static func finish<Service: StoreService>(_ state: AppState, worker: EffectWorker<Service>) -> AppState {
        var state = state
        worker.requestStop()
        while worker.isBusy { worker.wait(milliseconds: 50) }
        for message in worker.take() { _ = Update.update(&state, message) }
        return state
    }
}

extension Message {
    /// Whether taking it in means the store's files changed under this console's own hand.
    var changesTheStore: Bool {
        switch self {
        case .loaded, .requestFinished, .jobFinished: true
        default: false
        }
    }
}
