import AnchorCore
import AnchorTUI
import Testing

/// The update function, driven by key sequences.
@Suite("Update: keys to state")
struct UpdateTests {
    typealias F = TUIFixture

    @Test func filterIsKeptAfterDrillingInAndComingBack() {
        var state = F.state()
        F.press([.character("/")] + F.type("no=national-grid") + [.enter], &state)
        #expect(state.deviceRows.count == 60)
        F.press([.character("j"), .character("j")], &state)
        let selected = state.selectedDevice?.id
        F.press([.enter, .character("c")], &state)
        #expect(state.stack.count == 3)
        F.press([.escape, .escape], &state)
        #expect(state.screen == .devices)
        #expect(state.filterText == "no=national-grid")
        #expect(state.deviceRows.count == 60)
        #expect(state.selectedDevice?.id == selected)
    }

    @Test func escapeClearsTheFilterAndNeverQuits() {
        var state = F.state()
        F.press([.character("/")] + F.type("no=cadent counter") + [.enter], &state)
        #expect(state.deviceRows.isEmpty)
        var effects = F.press([.escape], &state)
        #expect(state.filterText.isEmpty)
        #expect(state.deviceRows.count == 221)
        effects += F.press([.escape, .escape], &state)
        #expect(!effects.contains(.quit))
        #expect(state.status?.text.contains("q to quit") == true)
    }

    @Test func qGoesBackInSubViewsAndQuitsAtTheTop() {
        var state = F.state()
        #expect(F.press([.enter, .character("q")], &state) == [.loadDeviceCertificates(F.nationalGridDevice)], "the device page asks for its certificates")
        #expect(state.screen == .devices)
        #expect(F.press([.character("q")], &state) == [.quit])
        #expect(F.press([.control("c")], &state) == [.quit])
    }

    @Test func filterParseErrorIsShownAndThePromptStaysOpen() {
        var state = F.state()
        F.press([.character("/")] + F.type("colour=red") + [.enter], &state)
        guard case .filter(let field) = state.modal else {
            Issue.record("the filter prompt closed")
            return
        }
        #expect(field.text == "colour=red")
        #expect(state.status?.level == .error)
        #expect(state.status?.text.contains("unknown filter key 'colour'") == true)
        #expect(state.deviceRows.count == 221)
    }

    @Test func sortByColumnKeyAgainReverses() {
        var state = F.state()
        F.press([.character("3")], &state)
        #expect(state.sort == DeviceSort(column: .supplier, ascending: true))
        let estate = F.demo
        let suppliers = state.deviceRows.map { estate.devices[Int($0)].supplier }
        #expect(suppliers == suppliers.sorted())
        F.press([.character("3")], &state)
        #expect(state.sort == DeviceSort(column: .supplier, ascending: false))
        let reversed = state.deviceRows.map { estate.devices[Int($0)].supplier }
        #expect(reversed == reversed.sorted(by: >))
        F.press([.character("s")], &state)
        #expect(state.sort.column == .networkOperator)
        F.press([.character("S")], &state)
        #expect(state.sort.ascending == false)
    }

    @Test func navigationKeysMoveAndStayInside() {
        var state = F.state()
        F.press([.character("k")], &state)
        #expect(state.devicesCursor.selected == 0)
        F.press([.down, .character("j"), .pageDown], &state)
        #expect(state.devicesCursor.selected == 2 + Layout.devicesViewport(state.size))
        F.press([.character("G")], &state)
        #expect(state.devicesCursor.selected == 220)
        #expect(state.devicesCursor.offset == 221 - Layout.devicesViewport(state.size))
        F.press([.character("g")], &state)
        #expect(state.devicesCursor == ListCursor(selected: 0, offset: 0))
    }

    @Test func resizeKeepsTheSelectionOnScreen() {
        var state = F.state(size: Size(columns: 120, rows: 60))
        F.press([.character("G")], &state)
        _ = Update.update(&state, .resize(Size(columns: 80, rows: 24)))
        let cursor = state.devicesCursor
        #expect(cursor.selected == 220)
        #expect(cursor.selected >= cursor.offset && cursor.selected < cursor.offset + Layout.devicesViewport(state.size))
    }

    @Test func confirmationFocusStartsOnCancel() {
        var state = F.state()
        F.press([.enter, .character("r"), .enter], &state)
        guard case .confirm(let confirmation) = state.modal else {
            Issue.record("no confirmation dialog: \(String(describing: state.modal))")
            return
        }
        #expect(confirmation.focus == .cancel)
        // Enter on Cancel sends nothing and returns to the form.
        let effects = F.press([.enter], &state)
        #expect(effects.isEmpty)
        guard case .launcher = state.modal else {
            Issue.record("Cancel did not return to the form")
            return
        }
    }

    @Test func sendingTheDefaultHandBack() {
        var state = F.state()
        let effects = F.press([.enter, .character("r"), .enter, .right, .enter], &state)
        let expected = RequestDraft(service: .updateSecurityCredentials, device: F.nationalGridDevice,
                                    actingOrganisation: "national-grid", certificate: "acb")
        #expect(effects == [.loadDeviceCertificates(F.nationalGridDevice), .checkSigningKeys, .submit(expected)],
                "the device page issues its certificates; the launcher reads the keys held, for its dry run")
        guard case .sending = state.modal else {
            Issue.record("not sending")
            return
        }
    }

    @Test func theLauncherDefaultsToAHandoverWhenTheACBHoldsTheCell() {
        var state = F.state(F.afterStory)
        F.press([.character(":")] + F.type("00-db-12-02-2f-ae-e4-4e") + [.enter, .character("r")], &state)
        guard case .launcher(let form) = state.modal else {
            Issue.record("no launcher")
            return
        }
        #expect(form.service == .requestHandover)
        #expect(form.actingOrganisation.text == "kestrel-supply")
        #expect(form.target.text == "cadent")
        // ← switches to 6.15.1 with its own defaults (no GNO holds the cell, so no sender).
        F.press([.left], &state)
        guard case .launcher(let switched) = state.modal else { return }
        #expect(switched.service == .updateSecurityCredentials)
        #expect(switched.target.text == "acb")
    }

    @Test func editingAFormFieldAndABadCounter() {
        var state = F.state()
        F.press([.enter, .character("r"), .tab, .tab, .tab] + F.type("12x") + [.enter], &state)
        guard case .launcher(let form) = state.modal else {
            Issue.record("the form closed")
            return
        }
        #expect(form.counter.text == "12x")
        #expect(state.status?.level == .error)
        #expect(state.status?.text.contains("not a whole number") == true)
    }

    @Test func readOnlyBlocksLaunching() {
        var state = F.state(readOnly: true)
        var effects = F.press([.character("r")], &state)
        #expect(state.modal == nil)
        #expect(state.status?.text.contains("read-only") == true)
        effects += F.press([.enter, .character("r"), .enter, .right, .enter], &state)
        #expect(state.modal == nil)
        #expect(!effects.contains { if case .submit = $0 { true } else { false } })
    }

    @Test func readOnlyRefusesEvenAConfirmationAlreadyOpen() {
        var state = F.state()
        F.press([.enter, .character("r"), .enter, .right], &state)
        state.readOnly = true
        let effects = F.press([.enter], &state)
        #expect(effects.isEmpty)
    }

    @Test func paletteJumpsToADeviceTogglesLegacyAndRejectsUnknownCommands() {
        var state = F.state()
        F.press([.character(":")] + F.type("00db12022faee44e") + [.enter], &state)
        #expect(state.screen == .device(F.secondNationalGridDevice))
        #expect(state.stack == [.devices, .device(F.secondNationalGridDevice)])
        F.press([.character(":")] + F.type("legacy") + [.enter], &state)
        #expect(state.legacyCounters)
        #expect(state.status?.level == .warning)
        #expect(Renderer.render(state).lines[0].contains("LEGACY COUNTERS"))
        F.press([.character(":")] + F.type("frobnicate") + [.enter], &state)
        #expect(state.status?.level == .error)
        F.press([.character(":")] + F.type("orgs") + [.enter], &state)
        #expect(state.stack == [.organisations])
        F.press([.character(":")] + F.type("q") + [.enter], &state)
    }

    @Test func tabCyclesTheTopLevelViews() {
        var state = F.state()
        F.press([.tab], &state)
        #expect(state.stack == [.requests(nil)])
        F.press([.tab], &state)
        #expect(state.stack == [.organisations])
        F.press([.backTab, .backTab], &state)
        #expect(state.stack == [.devices])
    }

    @Test func copyEmitsTheSelectedDeviceID() {
        var state = F.state()
        F.press([.character("j")], &state)
        let id = state.selectedDevice!.id
        #expect(F.press([.character("y")], &state) == [.copy(id.description)])
        #expect(state.status?.text.contains(id.description) == true)
    }

    @Test func statusMessagesClearAfterTicksButNoticesStay() {
        var state = F.state()
        F.press([.character("y")], &state)
        for _ in 0..<20 { _ = Update.update(&state, .tick) }
        #expect(state.status == nil)
        _ = Update.update(&state, .loaded(.loaded(F.demo, notice: "First run: created this store")))
        for _ in 0..<20 { _ = Update.update(&state, .tick) }
        #expect(state.status?.text == "First run: created this store")
    }

    @Test func aProcessedRequestUpdatesTheTableAndShowsTheOutcome() throws {
        var state = F.state()
        F.press([.character("/")] + F.type("no=national-grid") + [.enter], &state)
        let handBack = try #require(TUIFixture.requestsSinceDemo(F.afterStory.ledger).first)
        _ = Update.update(&state, .requestFinished(.processed(handBack, F.afterStory)))
        guard case .outcome(let report) = state.modal else {
            Issue.record("no outcome")
            return
        }
        #expect(report.record == handBack)
        #expect(state.deviceRows.count == 58)  // two devices left National Grid in the story
        F.press([.enter], &state)
        #expect(state.modal == nil)
    }

    @Test func openingARequestLogRowJumpsToItsDevice() {
        var state = F.state(F.afterStory)
        F.press([.character("L"), .enter], &state)
        #expect(state.screen == .device(F.secondNationalGridDevice))
        F.press([.character("L")], &state)
        #expect(state.screen == .requests(F.secondNationalGridDevice))
        #expect(state.requestRows.count == 2)
    }
}

@Suite("Update: the device index")
struct DeviceIndexUpdateTests {
    typealias F = TUIFixture

    @Test func loadingAsksForAnIndexAndFiltersAgreeWithOrWithoutIt() {
        var scanned = F.state()
        #expect(Update.update(&scanned, .loaded(.loaded(F.demo, notice: nil))) == [.indexDevices])
        F.press([.character("/")] + F.type("no=national-grid supplier=heron-energy") + [.enter], &scanned)
        var indexed = F.state()
        _ = Update.update(&indexed, .loaded(.loaded(F.demo, notice: nil)))
        _ = Update.update(&indexed, .indexed(DeviceIndex(devices: F.demo.devices, ledger: F.demo.ledger)))
        #expect(indexed.deviceIndex != nil)
        F.press([.character("/")] + F.type("no=national-grid supplier=heron-energy") + [.enter], &indexed)
        #expect(!indexed.deviceRows.isEmpty)
        #expect(indexed.deviceRows == scanned.deviceRows)
    }

    @Test func anIndexForAnotherEstateIsIgnored() {
        var state = F.state()
        _ = Update.update(&state, .loaded(.loaded(F.demo, notice: nil)))
        _ = Update.update(&state, .indexed(DeviceIndex(devices: DeviceTable(), ledger: F.demo.ledger)))
        #expect(state.deviceIndex == nil)
    }
}
