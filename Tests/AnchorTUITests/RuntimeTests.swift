import AnchorCore
import AnchorTUI
import GPFSimulator
import Testing

/// The runtime with a scripted terminal and an in-memory store.
@Suite("Runtime")
struct RuntimeTests {
    struct ScriptedTerminal: TerminalDevice {
        var events: [TerminalEvent]
        var frames: [CellBuffer] = []
        var copied: [String] = []
        var size: Size { .minimum }

        mutating func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent {
            events.isEmpty ? .terminate : events.removeFirst()
        }
        mutating func draw(_ buffer: CellBuffer) { frames.append(buffer) }
        mutating func invalidate() {}
        mutating func copy(_ text: String) { copied.append(text) }
    }

    final class MemoryStore: StoreService {
        var estate: Estate
        var submitted: [RequestDraft] = []
        init(_ estate: Estate) { self.estate = estate }

        func load() -> LoadResult { .loaded(estate, notice: "First run: created this store from demo-data/") }
        func submit(_ draft: RequestDraft, now: Timestamp) -> RequestResult {
            submitted.append(draft)
            do {
                let change = try estate.evaluate(try draft.serviceRequest(ledger: estate.ledger), now: now)
                estate.apply(change)
                return .processed(change.ledger.request, estate)
            } catch {
                return .notSent(error.description)
            }
        }
        func changeToken() -> String { String(estate.ledger.requests.count) }
    }

    @Test func handBackThenHandoverThroughTheRuntime() {
        let keys: [Key] = [.enter, .character("r"), .enter, .right, .enter, .enter,
                           .character("r"), .enter, .tab, .enter, .enter, .character("y"), .character("q"), .character("q")]
        var terminal = ScriptedTerminal(events: keys.map(TerminalEvent.key))
        let store = MemoryStore(TUIFixture.demo)
        let final = Runtime.run(AppState(storePath: "/memory"), terminal: &terminal, store: store) { TUIFixture.now }
        #expect(store.submitted.map(\.service) == [.updateSecurityCredentials, .requestHandover])
        #expect(store.estate.ledger.requests.map(\.outcome) == [.succeeded, .succeeded])
        #expect(final.estate?.devices[TUIFixture.nationalGridDevice]?.cells[.networkOperatorDS] == "cadent-ds")
        #expect(terminal.copied == [TUIFixture.nationalGridDevice.description])
        #expect(terminal.frames.first?.lines[1].contains("Loading") == true)
        #expect(terminal.frames.contains { $0.lines.joined().contains("First run") })
    }
}
