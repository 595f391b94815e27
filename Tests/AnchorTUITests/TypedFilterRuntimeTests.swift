import AnchorCore
import AnchorService
import AnchorStore
import AnchorTUI
import Foundation
import Testing

/// A filter typed over a database's pages: each key that changes the filter asks for a page,
/// but the runtime reads only the newest, so a burst of keys costs one count, not one a key.
@Suite("Runtime: a filter typed over pages")
struct TypedFilterRuntimeTests {
    /// Pages from memory, as the PostgreSQL device table gives them, counting every read; the
    /// whole store takes a while to read, so the pages stay on screen.
    final class PagedStore: StoreService, @unchecked Sendable {
        let memory = RuntimeTests.MemoryStore(TUIFixture.demo)
        let pages = PagingTests.MemoryPages(estate: TUIFixture.demo, limit: 5)
        private let lock = NSLock()
        private var readFilters: [DeviceFilter] = []

        var read: [DeviceFilter] { lock.withLock { readFilters } }

        func firstPage() -> DevicePage? { pages.page(.first, filter: .all) }
        func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort) -> Result<DevicePage, StoreError> {
            lock.withLock { readFilters.append(filter) }
            return .success(pages.page(start, filter: filter, sort: sort))
        }
        func load() -> LoadResult {
            Thread.sleep(forTimeInterval: 3)
            return memory.load()
        }
        func submit(_ draft: RequestDraft) -> RequestResult { memory.submit(draft) }
        func changeToken() -> String { memory.changeToken() }
        func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobReport { memory.perform(job, progress: progress) }
        func verifyAudit() -> AuditSummary { memory.verifyAudit() }
    }

    @Test func aBurstOfKeysReadsOnlyTheLastFiltersPage() throws {
        // "/0" (part of an ID) asks for the first page; the rest arrives while it waits, each
        // key a filter of its own ("00", "00D"…), each asking for a page.
        let first: [Key] = [.character("/")] + TUIFixture.type("0")
        let rest: [Key] = TUIFixture.type("0DB12") + [.enter]
        var terminal = RuntimeTests.ScriptedTerminal(events: first.map(TerminalEvent.key) + [.idle, .idle, .idle, .idle, .key(.character("q"))],
                                                     typedDuringJob: rest.map(TerminalEvent.key), typedOnceShown: "/0")
        let store = PagedStore()
        let final = Runtime.run(AppState(storePath: "postgresql://desk@db/estate"), terminal: &terminal, store: store) { TUIFixture.now }
        let filter = try DeviceFilter(parsing: "00DB12")
        let matching = TUIFixture.demo.devices.filter { filter.matches($0, in: TUIFixture.demo.ledger) }.count
        #expect(store.read == [filter], "one page read for the filters typed: \(store.read)")
        #expect(final.paging?.filter == filter && final.paging?.matching == matching && matching > 0)
        #expect(final.filterText == "00DB12")
    }
}
