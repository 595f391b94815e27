import AnchorCore
import AnchorTUI
import Testing

/// The console's `/` filter naming an organisation the store does not hold: the CLI's message
/// in the status line, the prompt kept open to mend it, and nothing read or filtered meanwhile.
@Suite("Update: unknown names in the filter")
struct FilterNameTests {
    typealias F = TUIFixture

    @Test func anUnknownOrganisationIsRefusedWithTheNearestName() {
        var state = F.state()
        F.press([.character("/")] + F.type("no=nationalgrid") + [.enter], &state)
        #expect(state.status?.level == .error)
        #expect(state.status?.text == "filter: no organisation 'nationalgrid': did you mean 'national-grid'?")
        guard case .filter(let field) = state.modal else {
            Issue.record("the filter prompt closed")
            return
        }
        #expect(field.text == "no=nationalgrid")
        #expect(state.filter == .all && state.deviceRows.count == 221)
    }

    @Test func whilePagesAreShownNothingIsAskedOfTheDatabase() {
        var state = PagingTests.pagedState()
        let effects = F.press([.character("/")] + F.type("supplier=kestrel") + [.enter], &state)
        #expect(effects.isEmpty, "\(effects)")
        #expect(state.status?.text == "filter: no organisation 'kestrel': did you mean 'kestrel-supply'?")
        #expect(state.filter == .all && state.paging?.filter == .all)
    }
}
