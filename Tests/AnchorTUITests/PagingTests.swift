import AnchorCore
import AnchorService
import AnchorStore
import AnchorTUI
import Foundation
import Testing

/// A large store paged through while it is read: keys move within the page and read the next
/// or previous page at its ends, `/` takes any filter, everything else waits for the whole store,
/// and the whole store replaces the pages when it arrives.
@Suite("Paging a large store while it is read")
struct PagingTests {
    typealias F = TUIFixture

    /// Pages over an estate in memory, as the PostgreSQL backend's device table gives them.
    struct MemoryPages {
        let estate: Estate
        let limit: Int

        func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort = DeviceSort()) -> DevicePage {
            let matching = DeviceList.rows(estate, filter: filter, sort: sort).map { estate.devices.devices[Int($0)] }
            func position(_ id: EUI64) -> Int { matching.firstIndex { $0.id == id } ?? 0 }
            let chosen: [Device] = switch start {
            case .first: Array(matching.prefix(limit))
            case .last: Array(matching.suffix(limit))
            case .after(let id): Array(matching[(position(id) + 1)...].prefix(limit))
            case .before(let id): Array(matching[..<position(id)].suffix(limit))
            }
            return DevicePage(preview: StorePreview(estate: Estate(ledger: estate.ledger, devices: DeviceTable(chosen)), deviceCount: estate.devices.count),
                              filter: filter, sort: sort, matching: matching.count, start: start, limit: limit)
        }
    }

    static let pages = MemoryPages(estate: F.demo, limit: 5)
    static var ids: [EUI64] { F.demo.devices.devices.map(\.id) }

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
        #expect(screen.contains("Reading all 221 devices"))
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

    @Test func theSelectedDeviceStaysSelectedWhenTheWholeStoreArrives() {
        var state = Self.pagedState()
        _ = Update.update(&state, .paged(Self.pages.page(.last, filter: .all)))
        F.press([.character("k"), .character("k")], &state)
        let selected = try? #require(state.selectedDevice?.id)
        #expect(selected == Self.ids[Self.ids.count - 3])
        _ = Update.update(&state, .loaded(.loaded(F.demo, notice: nil)))
        #expect(state.paging == nil && state.selectedDevice?.id == selected)
    }

    @Test func aFailedReadOfTheWholeStoreIsShownAndRTriesAgain() {
        var state = Self.pagedState()
        _ = Update.update(&state, .loaded(.failed("lost the connection")))
        #expect(state.paging != nil && state.status?.level == .error)
        // Pages still come, and the failure stays said.
        _ = Update.update(&state, .paged(Self.pages.page(.first, filter: .all)))
        #expect(state.status?.text.contains("could not read the whole store (R tries again; pages still come): lost the connection") == true)
        #expect(Renderer.render(state).lines.joined().contains("not all read: R tries again"))
        #expect(F.press([.character("R")], &state) == [.fetchPage(.first, .all, DeviceSort()), .load])
        #expect(state.loadError == nil && state.status?.level == .info)
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
        let matching = F.demo.devices.devices.filter { heron.matches($0, in: F.demo.ledger) }.count
        #expect(matching > 0 && state.paging?.matching == matching && state.filterText == "supplier=heron-energy counter")
        #expect(F.press([.escape], &state) == [.fetchPage(.first, .all, DeviceSort())])
        #expect(state.filterText.isEmpty)
    }

    @Test func everythingElseWaitsForTheWholeStore() {
        var state = Self.pagedState()
        for key in [Key.enter, .character("r"), .character("O"), .tab] {
            #expect(F.press([key], &state).isEmpty, "\(key)")
            #expect(state.modal == nil && state.stack == [.devices], "\(key)")
            #expect(state.status?.text.contains("waits until all 221 devices are read") == true, "\(key)")
        }
        F.press([.character("o")], &state)
        #expect(state.status?.text == "o does nothing in the devices list (? lists the keys)")
        #expect(F.press([.character("q")], &state) == [.quit])
    }

    @Test func sortingReadsPagesInThatOrderAndTheWholeStoreKeepsIt() throws {
        var state = Self.pagedState()
        let bySupplier = DeviceSort(column: .supplier)
        #expect(F.press([.character("3")], &state) == [.fetchPage(.first, .all, bySupplier)])
        #expect(state.status?.text.contains("sorting by supplier, ascending") == true)
        let expected = DeviceList.rows(F.demo, filter: .all, sort: bySupplier).map { F.demo.devices.devices[Int($0)].id }
        func shown() -> [EUI64] { state.deviceRows.map { state.estate!.devices.devices[Int($0)].id } }
        _ = Update.update(&state, .paged(Self.pages.page(.first, filter: .all, sort: bySupplier)))
        #expect(state.sort == bySupplier && shown() == Array(expected[0..<5]) && state.selectedDevice?.id == expected[0])

        // Past the page's last row, the next page starts after it, in the same order.
        #expect(F.press(Array(repeating: Key.character("j"), count: 5), &state) == [.fetchPage(.after(expected[4]), .all, bySupplier)])
        _ = Update.update(&state, .paged(Self.pages.page(.after(expected[4]), filter: .all, sort: bySupplier)))
        #expect(shown() == Array(expected[5..<10]))
        #expect(F.press([.character("k")], &state) == [.fetchPage(.before(expected[5]), .all, bySupplier)])
        let descending = DeviceSort(column: .supplier, ascending: false)
        #expect(F.press([.character("S")], &state) == [.fetchPage(.first, .all, descending)])

        _ = Update.update(&state, .loaded(.loaded(F.demo, notice: nil)))
        #expect(state.paging == nil && state.sort == descending)
        #expect(state.deviceRows == DeviceList.rows(F.demo, filter: .all, sort: descending), "the whole store, sorted as last asked")
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
        let matching = F.demo.devices.devices.filter { counter.matches($0, in: F.demo.ledger) }.count
        #expect(state.paging?.filter == counter && state.paging?.matching == matching && state.paging?.start == .last)

        let heron = try DeviceFilter(parsing: "supplier=heron-energy")
        #expect(F.press([.character("/"), .control("u")] + F.type("supplier=heron-energy"), &state).last
            == .fetchPage(.first, heron, DeviceSort()))
        #expect(F.press([.enter], &state).isEmpty)
        _ = Update.update(&state, .pageFailed("the connection was lost"))
        #expect(state.filter == counter && state.filterText == "counter" && state.status?.level == .error)
        #expect(F.press([.character("g")], &state) == [.fetchPage(.first, counter, DeviceSort())])
    }

    @Test func theWholeStoreReplacesThePagesKeepingTheFilter() throws {
        var state = Self.pagedState()
        F.press([.character("/")] + F.type("no=cadent") + [.enter], &state)
        _ = Update.update(&state, .paged(Self.pages.page(.first, filter: try DeviceFilter(parsing: "no=cadent"))))
        _ = Update.update(&state, .loaded(.loaded(F.demo, notice: nil)))
        #expect(state.paging == nil && state.previewOf == nil)
        #expect(state.deviceRows.count == 25, "the whole store, filtered as the pages were")
        // A page read before the load finished and answered after it is not shown.
        _ = Update.update(&state, .paged(Self.pages.page(.last, filter: .all)))
        #expect(state.paging == nil && state.estate?.devices.count == 221)
        #expect(F.press([.character("r")], &state) == [.checkSigningKeys] && state.modal != nil, "requests open again")
    }

    /// The runtime: pages are answered while the whole store is read on a thread of its own.
    final class PagingStore: StoreService, @unchecked Sendable {
        let memory: RuntimeTests.MemoryStore
        let released = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var asked: [DevicePageStart] = []
        init() { memory = RuntimeTests.MemoryStore(F.demo) }

        var pagesAsked: [DevicePageStart] { lock.withLock { asked } }
        func firstPage() -> DevicePage? { PagingTests.pages.page(.first, filter: .all) }
        func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort) -> Result<DevicePage, StoreError> {
            lock.withLock { asked.append(start) }
            return .success(PagingTests.pages.page(start, filter: filter, sort: sort))
        }
        /// The whole store arrives once the test says so (at most ten seconds on).
        func load() -> LoadResult {
            _ = released.wait(timeout: .now() + 10)
            return memory.load()
        }
        func submit(_ draft: RequestDraft) -> RequestResult { memory.submit(draft) }
        func changeToken() -> String { memory.changeToken() }
        func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobReport {
            memory.perform(job, progress: progress)
        }
        func verifyAudit() -> AuditSummary { memory.verifyAudit() }
    }

    /// Keys, then idles until the whole store is shown (at most five seconds); each frame drawn
    /// is shown to `drawn`.
    struct WaitingTerminal: TerminalDevice {
        var events: [TerminalEvent]
        let drawn: (CellBuffer) -> Void
        var frames: [CellBuffer] = []
        var size: Size { .minimum }
        let deadline = Date().addingTimeInterval(5)

        mutating func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent {
            if !events.isEmpty { return events.removeFirst() }
            guard Date() < deadline, frames.last?.lines.joined().contains("221 of 221 devices") != true else { return .terminate }
            Thread.sleep(forTimeInterval: 0.02)
            return .idle
        }
        mutating func draw(_ buffer: CellBuffer) {
            frames.append(buffer)
            drawn(buffer)
        }
        mutating func invalidate() {}
        mutating func copy(_ text: String) {}
    }

    @Test func theRuntimeAnswersPageKeysWhileTheWholeStoreIsRead() {
        let store = PagingStore()
        let lastShown = { (frame: CellBuffer) in frame.lines.contains { $0.contains(Self.ids.last!.description) } && frame.lines.joined().contains("shown of") }
        // The whole store is read once the last page, which G asked for, is on screen.
        var terminal = WaitingTerminal(events: [.key(.character("j")), .key(.character("G"))]) { frame in
            if lastShown(frame) { store.released.signal() }
        }
        let final = Runtime.run(AppState(storePath: "/paged"), terminal: &terminal, store: store) { F.now }
        #expect(store.pagesAsked == [.last], "G read the last page while the load was still waiting")
        #expect(terminal.frames.contains { $0.lines.joined().contains("5 shown of 221 matching") })
        #expect(terminal.frames.contains(where: lastShown))
        #expect(final.paging == nil && final.estate?.devices.count == 221)
        #expect(terminal.frames.last?.lines.joined().contains("221 of 221 devices") == true)
    }
}
