import AnchorCore
import AnchorService
import SMKI
import AnchorStore
import AnchorTUI
import Foundation
import GPFSimulator
import Testing

/// The runtime with a scripted terminal and an in-memory store.
@Suite("Runtime")
struct RuntimeTests {
    struct ScriptedTerminal: TerminalDevice {
        var events: [TerminalEvent]
        /// What the operator types while the store works (a job runs): the runtime polls for it
        /// (timeout 0) while it waits, once a frame showing `typedOnceShown` has been drawn.
        var typedDuringJob: [TerminalEvent] = []
        var typedOnceShown = "durable"
        var typing = false
        var frames: [CellBuffer] = []
        var copied: [String] = []
        var mouse: [Bool] = []
        var size: Size { .minimum }

        mutating func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent {
            if timeoutMilliseconds == 0 { return !typing || typedDuringJob.isEmpty ? .idle : typedDuringJob.removeFirst() }
            return events.isEmpty ? .terminate : events.removeFirst()
        }
        mutating func draw(_ buffer: CellBuffer) {
            frames.append(buffer)
            if !typing, buffer.lines.contains(where: { $0.contains(typedOnceShown) }) { typing = true }
        }
        mutating func invalidate() {}
        mutating func copy(_ text: String) { copied.append(text) }
        mutating func setMouse(_ enabled: Bool) { mouse.append(enabled) }
    }

    final class MemoryStore: StoreService {
        var estate: Estate
        var submitted: [RequestDraft] = []
        init(_ estate: Estate) { self.estate = estate }

        func load() -> LoadResult { .loaded(estate, notice: "First run: created this store from demo-data/") }
        func submit(_ draft: RequestDraft) -> RequestResult {
            submitted.append(draft)
            do {
                let change = try estate.evaluate(try draft.serviceRequest(ledger: estate.ledger), now: TUIFixture.now)
                estate.apply(change)
                return .processed(change.ledger.request, estate)
            } catch {
                return .notSent(error.description)
            }
        }
        func changeToken() -> String { String(estate.ledger.requests.count) }
        func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobReport {
            let store = MemoryEstateStore(estate)
            let outcome = RuntimeTests.perform(job, on: store, groupSize: 10, progress: progress)
            estate = store.estate
            return JobReport(outcome: outcome, estate: estate)
        }
        func verifyAudit() -> AuditSummary { AuditSummary(intact: true, entries: estate.ledger.requests.count) }
    }

    /// Runs a job through the service on an in-memory store, stamped at ``TUIFixture/now``.
    static func perform(_ job: StoreJob, on store: MemoryEstateStore, groupSize: Int = ServiceSettings.defaultGroupSize,
                        progress: (BulkProgress) -> Bool) -> JobOutcome {
        let service = EstateService(store: store, clock: .fixed(TUIFixture.now), settings: ServiceSettings(groupSize: groupSize))
        do {
            let session = try service.openSession()
            defer { session.close() }
            return session.perform(job, progress: progress)
        } catch {
            var outcome = JobOutcome(job: job)
            outcome.failure = error.description
            return outcome
        }
    }

    /// A large store: the head of it is shown while the whole is read.
    final class PreviewingStore: StoreService {
        let memory: MemoryStore
        init(_ estate: Estate) { memory = MemoryStore(estate) }

        func preview() -> StorePreview? {
            StorePreview(estate: Estate(ledger: memory.estate.ledger, devices: DeviceTable(Array(memory.estate.devices.prefix(3)))),
                         deviceCount: memory.estate.devices.count)
        }
        func load() -> LoadResult { memory.load() }
        func submit(_ draft: RequestDraft) -> RequestResult { memory.submit(draft) }
        func changeToken() -> String { memory.changeToken() }
        func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobReport {
            memory.perform(job, progress: progress)
        }
        func verifyAudit() -> AuditSummary { memory.verifyAudit() }
    }

    @Test func aLargeStoresHeadIsShownWhileTheWholeIsRead() {
        var terminal = ScriptedTerminal(events: [])
        let final = Runtime.run(AppState(storePath: "/memory"), terminal: &terminal, store: PreviewingStore(TUIFixture.demo)) { TUIFixture.now }
        let total = TUIFixture.demo.devices.count
        let preview = terminal.frames.first { $0.lines.joined().contains("reading the rest") }
        #expect(preview?.lines.joined().contains("3 of \(total) devices") == true)
        #expect(preview?.lines.joined().contains("Reading all \(total) devices") == true)
        let last = terminal.frames.last?.lines.joined() ?? ""
        #expect(last.contains("\(total) of \(total) devices") && !last.contains("reading the rest"))
        #expect(final.previewOf == nil && final.estate?.devices.count == total)
    }

    @Test func handBackThenHandoverThroughTheRuntime() {
        let keys: [Key] = [.enter, .character("r"), .enter, .right, .enter, .enter,
                           .character("r"), .enter, .tab, .enter, .enter, .character("y"), .character("q"), .character("q")]
        var terminal = ScriptedTerminal(events: keys.map(TerminalEvent.key))
        let store = MemoryStore(TUIFixture.demo)
        let final = Runtime.run(AppState(storePath: "/memory"), terminal: &terminal, store: store) { TUIFixture.now }
        #expect(store.submitted.map(\.service) == [.updateSecurityCredentials, .requestHandover])
        #expect(TUIFixture.requestsSinceDemo(store.estate.ledger).map(\.outcome) == [.succeeded, .succeeded])
        #expect(final.estate?.devices[TUIFixture.nationalGridDevice]?.cells[.networkOperatorDS] == "cadent-ds")
        #expect(terminal.copied == [TUIFixture.nationalGridDevice.description])
        #expect(terminal.frames.first?.lines[1].contains("Loading") == true)
        #expect(terminal.frames.contains { $0.lines.joined().contains("First run") })
    }

    /// A store whose job groups take a while (a database far away): after each durable group
    /// is reported, a pause, and only then is the runtime asked whether to go on.
    struct PacedService: StoreService, @unchecked Sendable {
        let inner: DiskStoreService
        init(_ inner: DiskStoreService) { self.inner = inner }
        func load() -> LoadResult { inner.load() }
        func submit(_ draft: RequestDraft) -> RequestResult { inner.submit(draft) }
        func changeToken() -> String { inner.changeToken() }
        func verifyAudit() -> AuditSummary { inner.verifyAudit() }
        func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobReport {
            inner.perform(job) { done in
                guard progress(done) else { return false }
                Thread.sleep(forTimeInterval: 0.3)
                return progress(done)
            }
        }
    }

    /// A store whose requests take a while to commit (a database far away).
    final class SlowStore: StoreService, @unchecked Sendable {
        let memory: MemoryStore
        let delay: Double
        private(set) var finishedAt: Date?
        init(_ estate: Estate, delay: Double) {
            memory = MemoryStore(estate)
            self.delay = delay
        }
        func load() -> LoadResult { memory.load() }
        func submit(_ draft: RequestDraft) -> RequestResult {
            Thread.sleep(forTimeInterval: delay)
            defer { finishedAt = Date() }
            return memory.submit(draft)
        }
        func changeToken() -> String { memory.changeToken() }
        func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobReport { memory.perform(job, progress: progress) }
        func verifyAudit() -> AuditSummary { memory.verifyAudit() }
    }

    /// A terminal that records when each frame was drawn, and answers keys typed while the
    /// store works (a resize, here) once a frame shows the request being sent.
    struct TimedTerminal: TerminalDevice {
        var inner: ScriptedTerminal
        var drawnAt: [Date] = []
        var size: Size { inner.size }
        mutating func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent { inner.nextEvent(timeoutMilliseconds: timeoutMilliseconds) }
        mutating func draw(_ buffer: CellBuffer) {
            inner.draw(buffer)
            drawnAt.append(Date())
        }
        mutating func invalidate() {}
        mutating func copy(_ text: String) {}
    }

    @Test func keysStayLiveWhileACommitWaits() {
        // Launch SRV6.15.1 on the first device (Enter, r, Enter, → to Send, Enter); while it is
        // being sent, the terminal is resized; then the outcome is closed and the console left.
        let keys: [Key] = [.enter, .character("r"), .enter, .right, .enter, .escape, .character("q"), .character("q")]
        let wider = Size(columns: Size.minimum.columns + 20, rows: Size.minimum.rows + 4)
        var terminal = TimedTerminal(inner: ScriptedTerminal(events: keys.map(TerminalEvent.key), typedDuringJob: [.resize(wider)],
                                                             typedOnceShown: "Sending"))
        let store = SlowStore(TUIFixture.demo, delay: 1.0)
        let final = Runtime.run(AppState(storePath: "/memory"), terminal: &terminal, store: store) { TUIFixture.now }
        #expect(store.memory.submitted.count == 1)
        #expect(TUIFixture.requestsSinceDemo(final.estate?.ledger ?? TUIFixture.demo.ledger).count == 1)
        // The resize typed meanwhile was drawn at the new size before the request had committed.
        let finished = try? #require(store.finishedAt)
        let widerFrames = zip(terminal.inner.frames, terminal.drawnAt).filter { $0.0.width == wider.columns }
        #expect(widerFrames.contains { $0.1 < (finished ?? .distantPast) }, "the console waited for the commit before drawing")
        #expect(widerFrames.contains { $0.0.lines.joined().contains("Sending") })
    }

    @Test func theRuntimeTurnsTheMouseOnAtStartAndFollowsThePalette() {
        let events: [TerminalEvent] = [.mouse(MouseEvent(kind: .doubleClick, x: 3, y: Layout.headerRows + 2))]
            + ([.character(":")] + TUIFixture.type("mouse off") + [.enter, .character("q"), .character("q")]).map(TerminalEvent.key)
        var terminal = ScriptedTerminal(events: events)
        let final = Runtime.run(AppState(storePath: "/memory"), terminal: &terminal, store: MemoryStore(TUIFixture.demo)) { TUIFixture.now }
        #expect(terminal.mouse == [true, false])
        #expect(!final.mouseEnabled)
        #expect(terminal.frames.contains { $0.lines.joined().contains("NO cell") }, "the double click opened the second device")
    }

    /// O, down to national-grid, x, Space (hand back first), → to the button, the count, Enter.
    static let handBackKeys: [Key] = [.character("O")] + Array(repeating: .character("j"), count: 5)
        + [.character("x"), .character(" "), .right] + TUIFixture.type("60") + [.enter]

    @Test func handBackThenCeaseThroughTheRuntimeOnADiskStore() throws {
        let directory = try TUIFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let events = (Self.handBackKeys + [.enter, .character("q"), .character("q")]).map(TerminalEvent.key)
        var terminal = ScriptedTerminal(events: events)
        let service = DiskStoreService(directory: directory, readOnly: false, demoData: nil, groupSize: 7)
        let final = Runtime.run(AppState(storePath: directory), terminal: &terminal, store: service) { TUIFixture.now }

        // Progress was drawn between groups, counting only durable requests.
        let screens = terminal.frames.map { $0.lines.joined(separator: "\n") }
        for done in [7, 14, 56, 60] {
            #expect(screens.contains { $0.contains("\(done) of 60 durable") }, "no progress line for \(done)")
        }
        #expect(screens.contains { $0.contains("cease national-grid succeeded") })
        #expect(final.estate?.ledger.organisation("national-grid")?.dccUser == false)

        // Everything is on disk: 60 hand-backs and the cease, with an intact audit chain.
        let store = try Store.open(at: directory, access: .readOnly)
        defer { store.close() }
        let ledger = store.estate.ledger
        #expect(TUIFixture.requestsSinceDemo(ledger).count == 60)
        #expect(TUIFixture.requestsSinceDemo(ledger).allSatisfy { $0.service == .updateSecurityCredentials && $0.outcome == .succeeded })
        #expect(ledger.lifecycle.map(\.action) == [.cease])
        #expect(ledger.lifecycle.first?.outcome == .succeeded)
        #expect(store.estate.devicesHoldingCertificates(of: "national-grid").isEmpty)
        #expect(service.verifyAudit() == AuditSummary(
            intact: true, entries: 61, headSequence: 61, headHash: store.auditTrail.last?.hash.description,
            unaudited: TUIFixture.demo.ledger.requests.count))
    }

    @Test func escapeStopsTheHandBackAfterTheCurrentGroupAndTheCeaseIsNotSent() throws {
        let directory = try TUIFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Esc arrives once the first group is shown durable; the job runs on meanwhile, and stops
        // after the group in flight when the runtime reads it (the first or the second).
        let events = (Self.handBackKeys + [.enter, .character("q"), .character("q")]).map(TerminalEvent.key)
        var terminal = ScriptedTerminal(events: events, typedDuringJob: [.key(.character("q")), .key(.escape)])
        let service = PacedService(DiskStoreService(directory: directory, readOnly: false, demoData: nil, groupSize: 7))
        let final = Runtime.run(AppState(storePath: directory), terminal: &terminal, store: service) { TUIFixture.now }
        let screens = terminal.frames.map { $0.lines.joined(separator: "\n") }
        #expect(screens.contains { $0.contains("stopping after this group") })
        let stopped = screens.first { $0.contains("stopped after a group") }
        let sent = [7, 14].first { stopped?.contains("\($0) of 60 sent") == true }
        #expect(sent != nil, "\(stopped ?? "no outcome")")
        #expect(final.estate?.ledger.organisation("national-grid")?.dccUser == true)

        let store = try Store.open(at: directory, access: .readOnly)
        defer { store.close() }
        #expect(TUIFixture.requestsSinceDemo(store.estate.ledger).count == sent)
        #expect(store.estate.ledger.lifecycle.isEmpty)
        #expect(LifecycleDraft.handBackDevices(of: "national-grid", in: store.estate).count == 60 - (sent ?? 0))
    }

    @Test func aStoreThatChangedSinceTheConfirmationSendsNothing() throws {
        let directory = try TUIFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = DiskStoreService(directory: directory, readOnly: false, demoData: nil)
        let report = service.perform(.lifecycle(LifecycleDraft(action: .cease, organisation: "national-grid", handBack: true,
                                                               confirmedDevices: 59))) { _ in true }
        #expect(report.outcome.failure?.contains("the store changed since you confirmed 59 devices: 60 now match") == true)
        #expect(report.estate == nil)
        let store = try Store.open(at: directory, access: .readOnly)
        defer { store.close() }
        #expect(TUIFixture.requestsSinceDemo(store.estate.ledger).isEmpty)
    }

    /// A store that is not a demo keeps no User's key: the console sends nothing for that User.
    @Test func aHandBackForAUserWhoseKeyTheConsoleWasNotGivenSendsNothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-tui-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Store.create(at: directory, with: TUIFixture.demo, replacingExisting: false)
        let service = DiskStoreService(directory: directory, readOnly: false, demoData: nil)
        let report = service.perform(.lifecycle(LifecycleDraft(action: .cease, organisation: "national-grid", handBack: true,
                                                               confirmedDevices: 60))) { _ in true }
        #expect(report.outcome.failure?.contains("no private key for national-grid") == true, "\(String(describing: report.outcome.failure))")
        let store = try Store.open(at: directory, access: .readOnly)
        defer { store.close() }
        #expect(TUIFixture.requestsSinceDemo(store.estate.ledger).isEmpty)
    }

    @Test func aReadOnlyServiceRunsNoJob() throws {
        let directory = try TUIFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = DiskStoreService(directory: directory, readOnly: true, demoData: nil)
        var called = false
        let report = service.perform(.recovery(RecoveryDraft(filter: "no=national-grid", newFloor: OriginatorCounter(0), reason: "x",
                                                             confirmedDevices: 60))) { _ in
            called = true
            return true
        }
        #expect(!called)
        #expect(report.outcome.failure?.contains("read-only") == true)
        #expect(service.verifyAudit().intact)
    }

    @Test func recoveryGroupsAreFlushedBeforeTheyAreReported() {
        let store = MemoryEstateStore(TUIFixture.demo)
        var reported: [Int] = []
        var durableWhenReported: [Int] = []
        let outcome = Self.perform(.recovery(RecoveryDraft(filter: "no=national-grid", newFloor: OriginatorCounter(0),
                                                           reason: "SMKI PMA", confirmedDevices: 60)),
                                   on: store, groupSize: 25) { progress in
            // By the time progress is reported, every request it counts has been made durable.
            durableWhenReported.append(store.committedRecords)
            reported.append(progress.done)
            return true
        }
        #expect(durableWhenReported == [25, 50, 60])
        #expect(reported == [25, 50, 60])
        #expect(outcome.bulk?.succeeded == 60)
        #expect(TUIFixture.requestsSinceDemo(store.estate.ledger).allSatisfy { $0.service == .recovery })
        // A rerun skips what is done.
        let again = Self.perform(.recovery(RecoveryDraft(filter: "no=dcc-acb counter", newFloor: OriginatorCounter(0), reason: "again",
                                                         confirmedDevices: 0)), on: store) { _ in true }
        #expect(again.bulk?.total == 0)
        #expect(again.bulk?.skipped == 62)  // the 60, and the 2 that history.json records as handed back
        #expect(again.failure == nil)
        #expect(store.committedRecords == 60)
    }
}
