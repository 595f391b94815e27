import AnchorCore
import AnchorService
import AnchorStore
import AnchorTUI
import Foundation
import Testing

/// A store too large to read whole, shown a page at a time: keys move within the page and read
/// the next or previous page at its ends, `/` takes any filter, a device's pages come from the
/// page (or the page that starts at it), counts and reports come from the store, and what needs
/// the whole estate in memory is refused with the CLI command that does it (a Recovery Event is
/// planned by the DSP when the pages come from one).
@Suite("Paging a store too large to read whole")
struct PagingTests {
    typealias F = TUIFixture

    /// Pages over an estate in memory, as the PostgreSQL backend's device table gives them
    /// (``AnchorStore/EstatePages``), of `limit` devices.
    struct MemoryPages {
        let estate: Estate
        let limit: Int

        func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort = DeviceSort()) -> DevicePage {
            EstatePages(estate).page(start, filter: filter, sort: sort, limit: limit)
        }
    }

    static let pages = MemoryPages(estate: F.demo, limit: 5)
    static var ids: [EUI64] { F.demo.devices.map(\.id) }

    /// A console showing the first page, as the runtime starts it for a large store.
    static func pagedState() -> AppState {
        var state = AppState(storePath: "postgresql://desk@db/estate", size: .minimum)
        _ = Update.update(&state, .paged(pages.page(.first, filter: .all)))
        return state
    }

    @Test func theFirstPageIsShownWithWhereItStands() {
        let state = Self.pagedState()
        #expect(state.paging?.matching == 221 && state.paging?.start == .first)
        #expect(state.paging?.startsAtFirst == true && state.paging?.endsAtLast == false)
        #expect(state.previewOf == 221 && state.deviceRows.count == 5 && state.devicesCursor.selected == 0)
        let screen = Renderer.render(state).lines.joined()
        #expect(screen.contains("5 shown of 221 matching, 221 devices"))
        #expect(screen.contains("221 devices, read from the database a page at a time"))
    }

    @Test func movingPastAPagesEndsReadsTheNextOrPreviousPage() {
        var state = Self.pagedState()
        #expect(F.press([.character("j"), .character("j"), .character("j"), .character("j")], &state).isEmpty)
        #expect(state.devicesCursor.selected == 4)
        #expect(F.press([.character("j")], &state) == [.fetchPage(.after(Self.ids[4]), .all, DeviceSort())])
        _ = Update.update(&state, .paged(Self.pages.page(.after(Self.ids[4]), filter: .all)))
        #expect(state.selectedDevice?.id == Self.ids[5])
        #expect(F.press([.character("k")], &state) == [.fetchPage(.before(Self.ids[5]), .all, DeviceSort())])
        _ = Update.update(&state, .paged(Self.pages.page(.before(Self.ids[5]), filter: .all)))
        #expect(state.selectedDevice?.id == Self.ids[4], "the previous page comes with its last row selected")
        #expect(F.press([.character("G")], &state) == [.fetchPage(.last, .all, DeviceSort())])
        _ = Update.update(&state, .paged(Self.pages.page(.last, filter: .all)))
        #expect(state.selectedDevice?.id == Self.ids.last)
        #expect(state.paging?.endsAtLast == true)
        #expect(F.press([.character("j")], &state).isEmpty && state.status?.text == "no more devices that way")
        #expect(F.press([.character("g")], &state) == [.fetchPage(.first, .all, DeviceSort())])
    }

    @Test func aShortPageReachedBackwardsStillPagesForwards() {
        var state = Self.pagedState()
        // 221 devices in pages of 5 read backwards end with a page of one: the first device.
        _ = Update.update(&state, .paged(Self.pages.page(.before(Self.ids[1]), filter: .all)))
        #expect(state.deviceRows.count == 1 && state.selectedDevice?.id == Self.ids[0])
        #expect(F.press([.character("k")], &state).isEmpty && state.status?.text == "no more devices that way")
        #expect(F.press([.character("j")], &state) == [.fetchPage(.after(Self.ids[0]), .all, DeviceSort())])
    }

    @Test func anotherOperatorsCommitReadsThePageAgainKeepingTheSelection() {
        var state = Self.pagedState()
        F.press([.character("j"), .character("j"), .character("j")], &state)
        let selected = state.selectedDevice?.id
        _ = Update.update(&state, .paged(Self.pages.page(.first, filter: .all)))
        #expect(state.selectedDevice?.id == selected && state.devicesCursor.selected == 3)
    }

    @Test func aFilterMatchingNothingSaysSo() throws {
        var state = Self.pagedState()
        F.press([.character("/")] + F.type("no=cadent counter") + [.enter], &state)
        _ = Update.update(&state, .paged(Self.pages.page(.first, filter: try DeviceFilter(parsing: "no=cadent counter"))))
        let screen = Renderer.render(state).lines.joined()
        #expect(screen.contains("0 shown of 0 matching, 221 devices") && screen.contains("No device matches"), "\(screen)")
    }

    @Test func readingPastTheEndKeepsThePageShown() {
        var state = Self.pagedState()
        _ = Update.update(&state, .paged(Self.pages.page(.before(Self.ids[0]), filter: .all)))
        #expect(state.selectedDevice?.id == Self.ids[0] && state.deviceRows.count == 5)
        #expect(state.status?.text == "no more devices that way")
    }

    @Test func filtersArePagedAndEscapeClearsThem() throws {
        var state = Self.pagedState()
        let cadent = try DeviceFilter(parsing: "no=cadent")
        // The rows follow the typing: each filter typed asks for its first page (the runtime reads
        // only the newest), and Enter asks for nothing more.
        #expect(F.press([.character("/")] + F.type("no=cadent"), &state).last == .fetchPage(.first, cadent, DeviceSort()))
        #expect(F.press([.enter], &state).isEmpty)
        _ = Update.update(&state, .paged(Self.pages.page(.first, filter: cadent)))
        #expect(state.filterText == "no=cadent" && state.paging?.matching == 25)
        #expect(Renderer.render(state).lines.joined().contains("5 shown of 25 matching, 221 devices"))

        let heron = try DeviceFilter(parsing: "supplier=heron-energy counter")
        #expect(F.press([.character("/"), .control("u")] + F.type("supplier=heron-energy counter"), &state).last
            == .fetchPage(.first, heron, DeviceSort()))
        #expect(F.press([.enter], &state).isEmpty)
        _ = Update.update(&state, .paged(Self.pages.page(.first, filter: heron)))
        let matching = F.demo.devices.filter { heron.matches($0, in: F.demo.ledger) }.count
        #expect(matching > 0 && state.paging?.matching == matching && state.filterText == "supplier=heron-energy counter")
        #expect(F.press([.escape], &state) == [.fetchPage(.first, .all, DeviceSort())])
        #expect(state.filterText.isEmpty)
    }

    @Test func sortingReadsPagesInThatOrder() throws {
        var state = Self.pagedState()
        let bySupplier = DeviceSort(column: .supplier)
        #expect(F.press([.character("3")], &state) == [.fetchPage(.first, .all, bySupplier)])
        #expect(state.status?.text.contains("sorting by supplier, ascending") == true)
        let expected = DeviceList.rows(F.demo, filter: .all, sort: bySupplier).map { F.demo.devices[Int($0)].id }
        func shown() -> [EUI64] { state.deviceRows.map { state.estate!.devices[Int($0)].id } }
        _ = Update.update(&state, .paged(Self.pages.page(.first, filter: .all, sort: bySupplier)))
        #expect(state.sort == bySupplier && shown() == Array(expected[0..<5]) && state.selectedDevice?.id == expected[0])

        // Past the page's last row, the next page starts after it, in the same order.
        #expect(F.press(Array(repeating: Key.character("j"), count: 5), &state) == [.fetchPage(.after(expected[4]), .all, bySupplier)])
        _ = Update.update(&state, .paged(Self.pages.page(.after(expected[4]), filter: .all, sort: bySupplier)))
        #expect(shown() == Array(expected[5..<10]))
        #expect(F.press([.character("k")], &state) == [.fetchPage(.before(expected[5]), .all, bySupplier)])
        let descending = DeviceSort(column: .supplier, ascending: false)
        #expect(F.press([.character("S")], &state) == [.fetchPage(.first, .all, descending)])
    }

    /// Paging on, or another operator's commit, before a filter's first page arrives reads with
    /// that filter; a page read with what was asked before is not shown; a failed read puts back
    /// what the page shown was read with.
    @Test func pagesAreReadWithWhatWasLastAskedFor() throws {
        var state = Self.pagedState()
        let counter = try DeviceFilter(parsing: "counter")
        #expect(F.press([.character("/")] + F.type("counter"), &state).last == .fetchPage(.first, counter, DeviceSort()))
        #expect(F.press([.enter], &state).isEmpty)
        #expect(F.press([.character("G")], &state) == [.fetchPage(.last, counter, DeviceSort())])
        _ = Update.update(&state, .paged(Self.pages.page(.last, filter: .all)))
        #expect(state.paging?.start == .first && state.paging?.filter == .all, "a page of the old filter, answered late, is not shown")
        _ = Update.update(&state, .paged(Self.pages.page(.last, filter: counter)))
        let matching = F.demo.devices.filter { counter.matches($0, in: F.demo.ledger) }.count
        #expect(state.paging?.filter == counter && state.paging?.matching == matching && state.paging?.start == .last)

        let heron = try DeviceFilter(parsing: "supplier=heron-energy")
        #expect(F.press([.character("/"), .control("u")] + F.type("supplier=heron-energy"), &state).last
            == .fetchPage(.first, heron, DeviceSort()))
        #expect(F.press([.enter], &state).isEmpty)
        _ = Update.update(&state, .pageFailed("the connection was lost"))
        #expect(state.filter == counter && state.filterText == "counter" && state.status?.level == .error)
        #expect(F.press([.character("g")], &state) == [.fetchPage(.first, counter, DeviceSort())])
    }

    /// The selected device's page, counters and requests come from the page, which holds its history.
    @Test func aDeviceOnThePageOpensFromThePage() throws {
        let id = try #require(F.demo.ledger.requests.last?.device)
        var state = AppState(storePath: "postgresql://desk@db/estate", size: .minimum)
        _ = Update.update(&state, .paged(Self.pages.page(.at(id), filter: .all)))
        #expect(state.selectedDevice?.id == id)
        #expect(Update.update(&state, .key(.enter)) == [.loadDeviceCertificates(id)])
        #expect(state.screen == .device(id))
        #expect(state.estate?.ledger.requests(for: id) == F.demo.ledger.requests(for: id))
        #expect(state.estate?.ledger.recordedCounters[id] == F.demo.ledger.recordedCounters[id])
        _ = Update.update(&state, .key(.character("L")))
        #expect(state.screen == .requests(id) && state.requestRows.count == F.demo.ledger.requests(for: id).count)
    }

    /// `:ID` for a device not on the page reads the page that starts at it, without the filter;
    /// a device the store does not hold is said so.
    @Test func aDeviceNotOnThePageIsReadAsThePageStartingAtIt() throws {
        var state = Self.pagedState()
        F.press([.character("/")] + F.type("no=cadent") + [.enter], &state)
        let id = Self.ids[100]
        #expect(F.press([.character(":")] + F.type(id.description) + [.enter], &state).contains(.fetchPage(.at(id), .all, DeviceSort())))
        #expect(state.stack == [.devices, .device(id)] && state.filterText.isEmpty)
        _ = Update.update(&state, .paged(Self.pages.page(.at(id), filter: .all)))
        #expect(state.screen == .device(id) && state.status?.text == "device \(id)")
        #expect(Renderer.render(state).lines.joined().contains(id.description))

        let missing = try #require(EUI64("00-00-00-00-00-00-00-01"))
        #expect(!Self.ids.contains(missing))
        #expect(F.press([.character(":")] + F.type(missing.description) + [.enter], &state).contains(.fetchPage(.at(missing), .all, DeviceSort())))
        _ = Update.update(&state, .paged(Self.pages.page(.at(missing), filter: .all)))
        #expect(state.stack == [.devices] && state.status?.text == "no device \(missing)" && state.status?.level == .error)
    }

    /// Pages from a DSP's operator API: the DSP plans a Recovery Event (its devices, the
    /// replacement and who signs), so `E` opens the form; what the form says wrong is said before
    /// the DSP is asked, and an answer for a form no longer shown is dropped.
    @Test func aRecoveryEventOnPagesFromADSPIsPlannedByTheDSP() throws {
        var state = AppState(storePath: "https://127.0.0.1:8443", size: .minimum)
        _ = Update.update(&state, .paged(Self.pages.page(.first, filter: .all)))
        F.press([.character("/")] + F.type("no=cadent") + [.enter], &state)
        _ = Update.update(&state, .paged(Self.pages.page(.first, filter: try DeviceFilter(parsing: "no=cadent"))))
        #expect(F.press([.character("E")], &state).isEmpty)
        guard case .recoveryForm(var form) = state.modal else {
            Issue.record("no form: \(state.status?.text ?? "-")")
            return
        }
        #expect(form.filter.text == "no=cadent")
        // No reason yet: said here, nothing asked of the DSP.
        #expect(F.press([.enter], &state).isEmpty)
        #expect(state.status?.text == "a Recovery Event needs a reason" && state.status?.level == .error)
        #expect(F.press(F.type("key compromised") + [.enter], &state) == [.planRecovery(form.with(reason: "key compromised"))])
        form = form.with(reason: "key compromised")
        #expect(state.modal == .recoveryForm(form) && state.status?.text.hasPrefix("asking the DSP") == true)

        // The DSP's refusal is the status line's error; the form stays to correct.
        _ = Update.update(&state, .recoveryPlanned(form, .failure(.invalidRequest("operator 'CN=cadent' may not take the DCC's actions"))))
        #expect(state.modal == .recoveryForm(form) && state.status?.level == .error && state.status?.text.contains("DCC's actions") == true)
        // Its plan: the confirmation, with the DSP's count to type.
        let checked = try form.checked()
        let recovery = try #require(F.demo.ledger.soleOrganisation(withRole: .recovery))
        let planned = RecoveryPreview(checked, replacement: "acb", pending: 7, skipped: 2, certificates: ["acb-ds", "acb-ka"], recovery: recovery)
        _ = Update.update(&state, .recoveryPlanned(form, .success(planned)))
        #expect(state.modal == .recoveryConfirm(planned, form: form))
        let screen = Renderer.render(state).lines.joined()
        #expect(screen.contains("run a Recovery Event on 7 devices") && screen.contains("2 already done are skipped") && screen.contains(recovery.id))
        #expect(F.press(F.type("7") + [.enter], &state) == [.runJob(.recovery(planned.draft))])

        // The form edited while the DSP planned: its answer is for another form, and Enter asks again.
        var edited = form
        edited.newFloor = TextField("5")
        state.modal = .recoveryForm(edited)
        _ = Update.update(&state, .recoveryPlanned(form, .success(planned)))
        #expect(state.modal == .recoveryForm(edited) && state.status?.text.contains("Enter asks again") == true)

        // Esc closed the form before the DSP answered: its answer opens nothing.
        state.modal = .recoveryForm(form)
        _ = Update.update(&state, .key(.escape))
        _ = Update.update(&state, .recoveryPlanned(form, .success(planned)))
        #expect(state.modal == nil && state.status?.text == "Recovery Event cancelled: nothing was sent")
    }

    /// A lifecycle dialog on pages: its devices are counted in the database first, then the
    /// dialog is the one the whole store would give with those counts.
    @Test func aLifecycleDialogCountsItsDevicesInTheDatabase() throws {
        var state = Self.pagedState()
        _ = Update.update(&state, .key(.character("O")))
        let row = try #require(state.estate?.ledger.organisations.firstIndex { $0.id == "national-grid" })
        F.press(Array(repeating: Key.character("j"), count: row), &state)
        #expect(state.selectedOrganisation?.id == "national-grid")
        #expect(Update.update(&state, .key(.character("x"))) == [.countForLifecycle(.cease, organisation: "national-grid")])
        #expect(state.modal == nil && state.status?.text.hasPrefix("counting national-grid's devices in the database") == true)
        let holding = F.demo.devicesHoldingCertificates(of: "national-grid").count
        let handBack = LifecycleDraft.handBackDevices(of: "national-grid", in: F.demo).count
        _ = Update.update(&state, .lifecycleCounted(.cease, organisation: "national-grid",
                                                    .success(LifecycleCounts(holding: holding, handBack: handBack))))
        guard case .lifecycleConfirm(let confirmation) = state.modal else {
            Issue.record("no dialog: \(state.status?.text ?? "-")")
            return
        }
        guard case .success(let whole) = LifecycleConfirmation.make(.cease, organisation: "national-grid", estate: F.demo) else {
            Issue.record("the whole store gives no dialog")
            return
        }
        #expect(confirmation == whole && confirmation.handBackDevices == handBack && handBack > 0)
        _ = Update.update(&state, .key(.escape))
        _ = Update.update(&state, .lifecycleCounted(.cease, organisation: "national-grid",
                                                    .failure(StoreError(code: .io, message: "the connection was lost", path: nil))))
        #expect(state.modal == nil && state.status?.level == .error && state.status?.text.contains("the connection was lost") == true)
    }

    /// On a database's pages, `E` and the palette's `:recovery` ask the database which devices
    /// the filter addresses (never the page's count), as a DSP is asked for an operator's console.
    @Test func aRecoveryEventOnADatabasesPagesIsPlannedByTheStore() throws {
        for opening in [[Key.character("E")], [Key.character(":")] + F.type("recovery") + [.enter]] {
            var state = Self.pagedState()
            F.press([.character("/")] + F.type("no=cadent") + [.enter], &state)
            _ = Update.update(&state, .paged(Self.pages.page(.first, filter: try DeviceFilter(parsing: "no=cadent"))))
            #expect(F.press(opening, &state).isEmpty)
            guard case .recoveryForm(let form) = state.modal else {
                Issue.record("no form: \(state.status?.text ?? "-")")
                continue
            }
            #expect(F.press(F.type("key compromised") + [.enter], &state) == [.planRecovery(form.with(reason: "key compromised"))])
            #expect(state.status?.text.hasPrefix("asking the database which devices it would address") == true,
                    "\(String(describing: state.status))")
        }
    }

    /// `A` (and `:audit`) check the store's records as they are now (``StoreService/verifyAudit()``),
    /// on pages as on a store read whole.
    @Test func theAuditCheckRunsOnPages() {
        var state = Self.pagedState()
        _ = Update.update(&state, .key(.character("O")))
        let context = Renderer.render(state).lines.joined()
        #expect(context.contains("A verifies the audit trail"), "the hint names the key")
        #expect(F.press([.character("P"), .character("A")], &state).contains(.verifyAudit))
        state.status = nil
        #expect(F.press([.character(":")] + F.type("audit") + [.enter], &state) == [.verifyAudit])
    }

    /// A report is read from the database one read at a time; an answer to what was asked
    /// before (another date, `R`, this console's own request since) is not shown, and what is
    /// asked now is read when it arrives.
    @Test func aReportAnswerToAnOlderAskIsNotShown() throws {
        var state = Self.pagedState()
        #expect(Update.update(&state, .key(.character("P"))) == [.buildReport(.postCommissioning, asOf: nil)])
        let date = try #require(ReportSnapshot.asOf(parsing: "2024-01-15"))
        let effects = F.press([.character("d"), .control("u")] + F.type("2024-01-15") + [.enter], &state)
        #expect(!effects.contains(.buildReport(.postCommissioning, asOf: date)), "one read at a time")
        #expect(Update.update(&state, .reportBuilt(ReportSnapshot.make(.postCommissioning, estate: F.demo, asOf: F.now)))
            == [.buildReport(.postCommissioning, asOf: date)], "the date asked for now is read")
        #expect(state.report == nil, "a report as of the date asked for before is not shown")
        _ = Update.update(&state, .reportBuilt(ReportSnapshot.make(.postCommissioning, estate: F.demo, asOf: date)))
        #expect(state.report?.postCommissioning?.asOf == date)

        // R, and this console's own request, while it is read: the report read is of the store before.
        #expect(Update.update(&state, .key(.character("R"))).contains(.buildReport(.postCommissioning, asOf: date)))
        let record = try #require(F.demo.ledger.requests.last)
        #expect(!Update.update(&state, .requestFinished(.processed(record, nil))).contains(.buildReport(.postCommissioning, asOf: date)))
        _ = Update.update(&state, .key(.escape))
        #expect(Update.update(&state, .reportFailed(.postCommissioning, "read before the request")) == [.buildReport(.postCommissioning, asOf: date)])
        #expect(state.report == nil && state.reportFailed == nil && state.status?.text.contains("read before the request") != true)
    }

    /// The organisations' counts and the reports are asked of the store; a report stays until R
    /// (a page read again keeps it), and one that failed is not asked for again until R.
    @Test func countsAndReportsAreAskedOfTheStore() {
        var state = Self.pagedState()
        #expect(Update.update(&state, .key(.character("O"))) == [.countHoldings])
        _ = Update.update(&state, .holdingsCounted(OrganisationHoldings(counts: ["cadent": 25])))
        #expect(state.holdings?.counts["cadent"] == 25)
        #expect(Update.update(&state, .key(.character("P"))) == [.buildReport(.postCommissioning, asOf: nil)])
        _ = Update.update(&state, .reportProgress(.postCommissioning, rows: 20_000))
        #expect(state.status?.text.hasPrefix("reading the post-commissioning report from the database: 20000 rows so far") == true)
        let report = ReportSnapshot.make(.postCommissioning, estate: F.demo, asOf: F.now)
        _ = Update.update(&state, .reportBuilt(report))
        #expect(state.report?.rowCount == report.rowCount && report.rowCount > 0)
        #expect(state.status?.text == "Post-commissioning report read from the database: \(report.rowCount) rows (R reads it again)")
        _ = Update.update(&state, .paged(Self.pages.page(.first, filter: .all)))
        #expect(state.report != nil, "a page read again keeps the report")
        #expect(Update.update(&state, .key(.character("R"))) == [.load, .buildReport(.postCommissioning, asOf: nil)])
        _ = Update.update(&state, .reportFailed(.postCommissioning, "the connection was lost"))
        #expect(state.status?.level == .error && state.status?.text.contains("the connection was lost (R tries again)") == true)
        #expect(Update.update(&state, .tick).isEmpty, "a failed report is not asked for again until R")
    }

    @Test func marksOnAnotherPageAreNotSentUnseen() {
        var state = Self.pagedState()
        F.press([.character(" ")], &state)
        _ = Update.update(&state, .paged(Self.pages.page(.after(Self.ids[4]), filter: .all)))
        F.press([.character(" ")], &state)
        #expect(state.marked == [Self.ids[0], Self.ids[5]])
        #expect(F.press([.character("r")], &state).isEmpty && state.modal == nil)
        #expect(state.status?.text.hasPrefix("1 of the 2 marked devices are not on the page shown") == true)
    }

    /// A request decided on the device's rows alone brings no estate back: the page is read again.
    @Test func aRequestDecidedPerDeviceReadsThePageAgain() throws {
        var state = Self.pagedState()
        let record = try #require(F.demo.ledger.requests.last)
        #expect(Update.update(&state, .requestFinished(.processed(record, nil))) == [.load])
        #expect(state.modal != nil && state.paging != nil)
    }

    /// The runtime on a paged store: pages, the reports and a request's aftermath are read from
    /// the store, which is never read whole.
    final class PagingStore: StoreService, @unchecked Sendable {
        let memory: RuntimeTests.MemoryStore
        private let lock = NSLock()
        private var asked: [DevicePageStart] = []
        private var loads = 0
        private var reports: [ReportKind] = []
        private var dueChecks = 0
        /// Holds the first report read until it is opened; that report is of no device.
        let firstReportGate: DispatchSemaphore?
        init(holdingTheFirstReport: Bool = false) {
            memory = RuntimeTests.MemoryStore(F.demo)
            firstReportGate = holdingTheFirstReport ? DispatchSemaphore(value: 0) : nil
        }

        var pagesAsked: [DevicePageStart] { lock.withLock { asked } }
        var wholeReads: Int { lock.withLock { loads } }
        var reportsAsked: [ReportKind] { lock.withLock { reports } }
        var dueAlertChecks: Int { lock.withLock { dueChecks } }
        static let dueSummary = "alerts: 1 arrived; 1 processed"
        /// A command is due the first time the store is asked.
        func processDueAlerts() -> DueAlertsResult {
            lock.withLock {
                dueChecks += 1
                return dueChecks == 1 ? .processed(summary: Self.dueSummary) : .nothingDue
            }
        }
        func firstPage() -> DevicePage? { PagingTests.pages.page(.first, filter: .all) }
        func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort) -> Result<DevicePage, StoreError> {
            lock.withLock { asked.append(start) }
            return .success(PagingTests.pages.page(start, filter: filter, sort: sort))
        }
        func load() -> LoadResult {
            lock.withLock { loads += 1 }
            return memory.load()
        }
        func report(_ kind: ReportKind, asOf: Timestamp, progress: (Int) -> Void) -> Result<ReportSnapshot, ServiceError> {
            let first = lock.withLock {
                reports.append(kind)
                return reports.count == 1
            }
            progress(1)
            if first, let gate = firstReportGate {
                _ = gate.wait(timeout: .now() + 5)
                return .success(ReportSnapshot.make(kind, estate: Estate(ledger: F.demo.ledger, devices: DeviceTable()), asOf: asOf))
            }
            return .success(ReportSnapshot.make(kind, estate: F.demo, asOf: asOf))
        }
        func submit(_ draft: RequestDraft) -> RequestResult { memory.submit(draft) }
        func changeToken() -> String { memory.changeToken() }
        func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobReport {
            memory.perform(job, progress: progress)
        }
        func verifyAudit() -> AuditSummary { memory.verifyAudit() }
    }

    /// Keys, then idles until `done` says a frame is the last wanted (at most five seconds).
    struct WaitingTerminal: TerminalDevice {
        var events: [TerminalEvent]
        let done: (CellBuffer) -> Bool
        var frames: [CellBuffer] = []
        var size: Size { .minimum }
        var deadline = Date().addingTimeInterval(5)
        /// Called once, when the keys have all been taken.
        var whenKeysRunOut: (() -> Void)?

        mutating func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent {
            if !events.isEmpty { return events.removeFirst() }
            whenKeysRunOut?()
            whenKeysRunOut = nil
            guard Date() < deadline, frames.last.map(done) != true else { return .terminate }
            Thread.sleep(forTimeInterval: 0.02)
            return .idle
        }
        mutating func draw(_ buffer: CellBuffer) { frames.append(buffer) }
        mutating func invalidate() {}
        mutating func copy(_ text: String) {}
    }

    @Test func theRuntimeNeverReadsAPagedStoreWhole() {
        let store = PagingStore()
        let report = ReportSnapshot.make(.postCommissioning, estate: F.demo, asOf: F.now)
        let reportShown = { (frame: CellBuffer) in frame.lines.joined().contains("Post-commissioning report read from the database: \(report.rowCount) rows") }
        var terminal = WaitingTerminal(events: [.key(.character("j")), .key(.character("G")), .key(.character("P"))], done: reportShown)
        let final = Runtime.run(AppState(storePath: "/paged"), terminal: &terminal, store: store) { F.now }
        #expect(store.pagesAsked == [.last], "G read the last page")
        #expect(store.reportsAsked == [.postCommissioning])
        #expect(store.wholeReads == 0, "the store was never read whole")
        #expect(terminal.frames.contains { $0.lines.joined().contains("5 shown of 221 matching") })
        #expect(terminal.frames.last.map(reportShown) == true)
        #expect(final.paging != nil && final.estate?.devices.count == 5 && final.report?.rowCount == report.rowCount)
    }

    /// Keys typed while a report is read from the database (a new date, `R`) are not lost: the
    /// report shown is the one asked for last, read after the first read ends.
    @Test func theRuntimeReadsTheReportAskedForWhileAnotherWasRead() throws {
        let date = try #require(ReportSnapshot.asOf(parsing: "2024-01-15"))
        let store = PagingStore(holdingTheFirstReport: true)
        let asked = ReportSnapshot.make(.postCommissioning, estate: F.demo, asOf: date)
        let shown = { (frame: CellBuffer) in frame.lines.joined().contains("Post-commissioning report read from the database: \(asked.rowCount) rows") }
        let keys = [Key.character("P"), .character("d"), .control("u")] + F.type("2024-01-15") + [.enter]
        var terminal = WaitingTerminal(events: keys.map { .key($0) }, done: shown)
        terminal.whenKeysRunOut = { store.firstReportGate?.signal() }
        let final = Runtime.run(AppState(storePath: "/paged"), terminal: &terminal, store: store) { F.now }
        #expect(store.reportsAsked == [.postCommissioning, .postCommissioning], "the date typed while the first was read is read")
        #expect(final.report?.postCommissioning?.asOf == date && final.report?.rowCount == asked.rowCount)
    }

    @Test func theRuntimeReadsTheReportAgainOnRWhileItWasRead() {
        let store = PagingStore(holdingTheFirstReport: true)
        let whole = ReportSnapshot.make(.postCommissioning, estate: F.demo, asOf: F.now)
        let shown = { (frame: CellBuffer) in frame.lines.joined().contains("Post-commissioning report read from the database: \(whole.rowCount) rows") }
        var terminal = WaitingTerminal(events: [.key(.character("P")), .key(.character("R"))], done: shown)
        terminal.whenKeysRunOut = { store.firstReportGate?.signal() }
        let final = Runtime.run(AppState(storePath: "/paged"), terminal: &terminal, store: store) { F.now }
        #expect(store.reportsAsked == [.postCommissioning, .postCommissioning], "R while the report was read reads it again")
        #expect(final.report?.rowCount == whole.rowCount && whole.rowCount > 0, "the report read before R is not the one shown")
    }

    /// Due future-dated commands execute while a paged console runs, as they do while a console
    /// that read its store whole runs: on `R`, and every few seconds when the store says one is
    /// due (the estate is never in memory to tell).
    @Test func duePagedCommandsExecuteOnR() {
        let store = PagingStore()
        let shown = { (frame: CellBuffer) in frame.lines.joined().contains(PagingStore.dueSummary) }
        var terminal = WaitingTerminal(events: [.key(.character("R"))], done: shown)
        _ = Runtime.run(AppState(storePath: "/paged"), terminal: &terminal, store: store) { F.now }
        #expect(store.dueAlertChecks >= 1 && store.wholeReads == 0)
        #expect(terminal.frames.last.map(shown) == true)
    }

    @Test func duePagedCommandsExecuteWhileTheConsoleRuns() {
        let store = PagingStore()
        let shown = { (frame: CellBuffer) in frame.lines.joined().contains(PagingStore.dueSummary) }
        var terminal = WaitingTerminal(events: [], done: shown, deadline: Date().addingTimeInterval(20))
        _ = Runtime.run(AppState(storePath: "/paged"), terminal: &terminal, store: store) { F.now }
        #expect(store.dueAlertChecks >= 1 && store.wholeReads == 0)
        #expect(terminal.frames.last.map(shown) == true)
    }

    @Test func aReadOnlyPagedConsoleLetsNothingExecute() {
        let store = PagingStore()
        var terminal = WaitingTerminal(events: [.key(.character("R"))], done: { _ in false }, deadline: Date().addingTimeInterval(4))
        _ = Runtime.run(AppState(storePath: "/paged", readOnly: true), terminal: &terminal, store: store) { F.now }
        #expect(store.dueAlertChecks == 0)
    }
}

extension RecoveryForm {
    /// The form with `reason` typed.
    func with(reason: String) -> RecoveryForm {
        var form = self
        form.reason = TextField(reason)
        return form
    }
}
