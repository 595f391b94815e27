import AnchorCore
import AnchorTUI
import Foundation
import Testing

/// Issue 28's console: habits operators bring from k9s and lazygit (one navigation model,
/// filters as you type, completion), problem rows found in the reports and the request log,
/// and a counter chart that shows change.
@Suite("Console: an operator's day")
struct OperatorHabitsTests {
    typealias F = TUIFixture

    static func screen(_ state: AppState) -> String { Renderer.render(state).lines.joined(separator: "\n") }

    // MARK: Navigation

    @Test func organisationsAndReportsAreTopLevelViewsNotDrillDowns() {
        var state = F.state()
        F.press([.enter, .character("O")], &state)
        #expect(state.stack == [.organisations], "O from a device page replaces the drill-down")
        F.press([.character("P")], &state)
        #expect(state.stack == [.reports])
        F.press([.escape], &state)
        #expect(state.stack == [.reports], "Esc does not go back to the view left by P")
        #expect(state.status?.text.contains("top level") == true)
        F.press([.character("P")], &state)
        #expect(state.status?.text == "already in the reports")
    }

    @Test func requestLogFromADeviceIsADrillDownAndFromElsewhereTheTopLevelLog() {
        var state = F.state(F.afterStory)
        F.press([.enter, .character("L")], &state)
        #expect(state.stack == [.devices, .device(F.nationalGridDevice), .requests(F.nationalGridDevice)])
        F.press([.escape], &state)
        #expect(state.stack == [.devices, .device(F.nationalGridDevice)])
        F.press([.character("O"), .character("L")], &state)
        #expect(state.stack == [.requests(nil)])
        F.press([.tab], &state)
        #expect(state.stack == [.organisations])
    }

    @Test func aWarningBelongsToTheViewThatRaisedIt() {
        var state = F.state()
        F.press([.character(":")] + F.type("legacy on") + [.enter], &state)
        #expect(state.status?.level == .warning)
        F.press([.character("O")], &state)
        #expect(state.status == nil, "the devices view's warning went with it")
        F.press([.character("A")], &state)
        #expect(state.status?.view == .organisations)
        F.press([.enter], &state)
        #expect(state.status == nil, "drilling down leaves the list's message behind")
    }

    @Test func aStoreWideWarningStaysAcrossViews() {
        var state = AppState(storePath: "/var/lib/anchordesk")
        _ = Update.update(&state, .loaded(.loaded(F.demo, notice: nil, warning: "journal.jsonl byte 0: unfinished record left out")))
        F.press([.character("O"), .character("P"), .enter], &state)
        #expect(state.status?.text.contains("unfinished record") == true)
    }

    @Test func aKeyThatDoesNothingSaysSo() {
        var state = F.state()
        F.press([.character("P")], &state)
        F.press([.character("x")], &state)
        #expect(state.status?.text == "x does nothing in the reports (? lists the keys)")
        F.press([.character("L"), .character("t")], &state)
        #expect(state.status?.text == "t does nothing in the request log (? lists the keys)")
    }

    @Test func theFooterKeepsTheCommandPaletteAt80Columns() {
        var state = F.state()
        for keys: [Key] in [[], [.enter], [.escape, .character("P")], [.character("L")], [.character("O")]] {
            F.press(keys, &state)
            let footer = Renderer.render(state, size: .minimum).lines.last ?? ""
            #expect(footer.contains(": cmd"), "\(state.screen): \(footer)")
            #expect(footer.contains("? help") && footer.contains("q quit"))
        }
    }

    // MARK: Full names

    @Test func theDevicesListShowsTheSelectedDevicesNamesInFull() throws {
        var state = F.state()
        F.press([.character("3")], &state)
        let device = try #require(state.selectedDevice)
        let supplier = try #require(F.demo.ledger.organisation(device.supplier))
        let owner = try #require(DeviceList.networkOperatorOwner(device, F.demo.ledger).flatMap { F.demo.ledger.organisation($0) })
        // At 80 columns the cells cut the IDs; the line under the table has them whole.
        var lines = Renderer.render(state).lines
        #expect(!lines.contains { $0.contains(" \(supplier.id) ") && $0.hasPrefix(">") }, "the supplier cell is cut at 80 columns")
        #expect(lines[lines.count - 3] == " supplier \(supplier.id)  NO cell \(owner.id)")
        // Wider, the names come too.
        lines = Renderer.render(state, size: Size(columns: 120, rows: 24)).lines
        #expect(lines[lines.count - 3].contains("supplier \(supplier.id) (\(supplier.name))  NO cell \(owner.id) (\(owner.name))"))
    }

    // MARK: Help and README

    @Test func helpListsEveryKeyOfEveryBindingIncludingTheREADMEsOwn() {
        var state = F.state(size: Size(columns: 160, rows: 200))
        F.press([.character("?")], &state)
        let help = Self.screen(state)
        for label in ["Ctrl-D", "Backspace", "Ctrl-R", "Ctrl-F", "Ctrl-U", "Shift-Tab", "n", "1-5"] {
            #expect(help.contains(label), "help lacks \(label)")
        }
        for binding in KeyMap.bindings where binding.keys.count > 1 && binding.keyLabel.contains("/") {
            for key in binding.keys {
                #expect(binding.keyLabel.contains(key.label), "\(binding.keyLabel) does not name \(key.label)")
            }
        }
    }

    /// The reference's key table (docs/REFERENCE.md) sits between two markers; `ANCHORDESK_RECORD_SNAPSHOTS=1` writes it
    /// afresh from the key table, as it does the screen snapshots.
    @Test func theREADMEKeyTableIsTheOneTheHelpScreenIsMadeFrom() throws {
        let file = F.repositoryRoot.appendingPathComponent("docs/REFERENCE.md")
        let readme = try String(contentsOf: file, encoding: .utf8)
        let begin = "<!-- keys: made from KeyMap.bindings; ANCHORDESK_RECORD_SNAPSHOTS=1 swift test --filter OperatorHabits rewrites it -->\n"
        let end = "<!-- end of keys -->"
        let start = try #require(readme.range(of: begin), "docs/REFERENCE.md has no key table marker")
        let finish = try #require(readme.range(of: end, range: start.upperBound..<readme.endIndex))
        let table = String(readme[start.upperBound..<finish.lowerBound])
        if ProcessInfo.processInfo.environment["ANCHORDESK_RECORD_SNAPSHOTS"] == "1" {
            try (String(readme[..<start.upperBound]) + KeyMap.markdownTable + String(readme[finish.lowerBound...]))
                .write(to: file, atomically: true, encoding: .utf8)
            return
        }
        #expect(table == KeyMap.markdownTable, "docs/REFERENCE.md's key table differs from the console's:\n\(KeyMap.markdownTable)")
    }

    // MARK: Launcher

    @Test func theLaunchersDryRunReasonWrapsWholeAt80By24() throws {
        var state = F.state()
        F.press([.enter, .character("r"), .tab, .tab, .tab] + F.type("5"), &state)
        guard case .launcher(let form) = state.modal else {
            Issue.record("the launcher is not open")
            return
        }
        let preview = try RequestPreview.make(try form.draft(), estate: F.demo, glyphs: state.appearance.glyphs, keys: nil)
        let dryRun = try #require(preview.lines.last)
        #expect(dryRun.value.contains("REJECTED"), "a counter of 5 is below the device's floor")
        let screen = Renderer.render(state).lines.map { $0.replacingOccurrences(of: "│", with: " ") }.joined(separator: " ")
        let words = screen.split(separator: " ")
        for word in dryRun.value.split(separator: " ") {
            #expect(words.contains(word), "'\(word)' of the dry run is cut")
        }
    }

    // MARK: Counters

    @Test func afterCadentIsPlacedTheCounterPageSaysNoSRV621Now() {
        var state = F.state(F.afterStory)
        F.press([.enter, .character("c")], &state)
        let text = Self.screen(state)
        #expect(!text.contains("Next SRV6.21 would use"))
        #expect(text.contains("No SRV6.21 now: the NO cell holds cadent's certificate"))
        #expect(text.contains("placed by SRV6.21 2024-03-01 12:01 with counter"))
        #expect(text.contains("cadent must hand it back to the ACB with SRV6.15.1 first"))
    }

    @Test func whileTheACBHoldsTheCellTheCounterPageSaysWhatSRV621WouldUse() throws {
        var estate = F.demo
        let change = try estate.evaluate(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: F.nationalGridDevice, replacementCertificates: ["acb-ds", "acb-ka"])), now: F.now)
        estate.apply(change)
        var state = F.state(estate)
        F.press([.enter, .character("c")], &state)
        let text = Self.screen(state)
        #expect(text.contains("Next SRV6.21 would use 1647302400000002"))
        #expect(text.contains("recorded 1647302400000001 ≥ generated 48211, using recorded+1"))
    }

    @Test func theChartIsLogarithmicSoTheACBsCountersAndTheGNOsDiffer() {
        // The second device: National Grid's hand-back (about 1.6×10^15), then the ACB's refused
        // legacy SRV6.21 (48213).
        var state = F.state(F.afterStory, size: Size(columns: 100, rows: 40))
        F.press([.character(":")] + F.type(F.secondNationalGridDevice.description) + [.enter, .character("c")], &state)
        let lines = Renderer.render(state).lines
        let bars = lines.map { line in line.filter { $0 == "█" }.count }.filter { $0 > 0 }
        #expect(bars.count == 2, "\(lines.joined(separator: "\n"))")
        #expect(bars[1] * 2 < bars[0], "the ACB's 48213 is a short bar beside the GNO's counter: \(bars)")
        #expect(lines.contains { $0.contains("log scale") && $0.contains("10^0") && $0.contains("10^10") && $0.contains("10^20") },
                "the axis is labelled")
        #expect(lines.contains { $0.contains("-16473023999") }, "the step down to the ACB's counter is shown exactly")
    }

    // MARK: Incremental filter

    @Test func theDevicesFilterFollowsTheTextAsItIsTyped() {
        var state = F.state()
        F.press([.character("/")] + F.type("no=cadent"), &state)
        let cadent = F.demo.devices.filter { DeviceList.networkOperatorOwner($0, F.demo.ledger) == "cadent" }.count
        #expect(state.deviceRows.count == cadent, "filtered before Enter")
        #expect(Self.screen(state).contains("\(cadent) match"))
        F.press([.enter], &state)
        #expect(state.modal == nil && state.filterText == "no=cadent" && state.deviceRows.count == cadent)
    }

    @Test func escapePutsTheOldFilterBack() {
        var state = F.state()
        F.press([.character("/")] + F.type("no=national-grid") + [.enter], &state)
        #expect(state.deviceRows.count == 60)
        F.press([.character("/"), .control("u")] + F.type("no=cadent"), &state)
        #expect(state.deviceRows.count != 60)
        F.press([.escape], &state)
        #expect(state.modal == nil && state.filterText == "no=national-grid" && state.deviceRows.count == 60)
    }

    @Test func anUnfinishedExpressionShowsTheRowsThePromptOpenedOn() {
        var state = F.state()
        F.press([.character("/")] + F.type("no="), &state)
        #expect(state.deviceRows.count == 221)
        #expect(Self.screen(state).contains("not a filter yet"))
    }

    @Test func typingOverPagesAsksTheDatabaseOnlyWhenTheFilterChanges() {
        var state = PagingTests.pagedState()
        let effects = F.press([.character("/")] + F.type("no=cadent"), &state)
        let asked: [DeviceFilter] = effects.compactMap { if case .fetchPage(.first, let filter, _) = $0 { filter } else { nil } }
        #expect(effects.count(where: { if case .fetchPage = $0 { true } else { false } }) == asked.count)
        // "n", "no" and "no=" are not filters and ask for nothing; each key after asks once at most.
        #expect(!asked.isEmpty && asked.count <= 6, "\(asked)")
        #expect(zip(asked, asked.dropFirst()).allSatisfy { $0 != $1 }, "the same filter is never asked for twice in a row")
        #expect(asked.last == (try? DeviceFilter(parsing: "no=cadent")))
        #expect(state.filterText == "no=cadent")
        #expect(F.press([.enter], &state).allSatisfy { if case .fetchPage = $0 { false } else { true } },
                "Enter does not read the page typing already asked for")
    }

    // MARK: Reports and the request log

    @Test func nJumpsToTheNextNonCompliantRowAndSlashNarrowsTheReport() throws {
        var state = F.state()
        F.press([.character("P")], &state)
        let report = try #require(state.report?.postCommissioning)
        let nonCompliant = report.rows.filter { $0.verdict == .nonCompliant }
        #expect(!nonCompliant.isEmpty)
        F.press([.character("n")], &state)
        #expect(state.selectedReportDevice == nonCompliant[0].device)
        F.press([.character("n")], &state)
        #expect(state.selectedReportDevice == nonCompliant[1 % nonCompliant.count].device)
        F.press([.character("N")], &state)
        #expect(state.selectedReportDevice == nonCompliant[0].device)
        F.press([.character("/")] + F.type("non-compliant"), &state)
        #expect(state.reportRows.count == nonCompliant.count, "filtered as typed")
        F.press([.enter], &state)
        #expect(state.status?.text == "\(nonCompliant.count) of \(report.rows.count) rows hold 'non-compliant'")
        #expect(Self.screen(state).contains("\(nonCompliant.count) of \(report.rows.count) shown  filter non-compliant"))
        F.press([.escape], &state)
        #expect(state.reportRows.count == report.rows.count, "Esc at the top clears the report's filter")
    }

    @Test func reportsSortByAColumnAndTheSameKeyReverses() throws {
        var state = F.state()
        F.press([.character("P"), .character("2")], &state)
        let report = try #require(state.report)
        let suppliers = (0..<state.reportRows.count).map { report.postCommissioning!.rows[state.reportRows[$0]!].supplier }
        #expect(suppliers == suppliers.sorted())
        F.press([.character("2")], &state)
        let reversed = (0..<state.reportRows.count).map { report.postCommissioning!.rows[state.reportRows[$0]!].supplier }
        #expect(reversed == suppliers.sorted(by: >))
        F.press([.character("5"), .character("t")], &state)
        #expect(state.reportsQuery.sortColumn == nil, "the counter-risk report has four columns: the sort by the fifth goes")
        F.press([.character("4"), .character("t")], &state)
        #expect(state.reportsQuery.sortColumn == 3, "a column both reports have keeps its sort")
        F.press([.character("9")], &state)
        #expect(state.status?.text.contains("does nothing") == true || state.status?.text.contains("names no column") == true)
    }

    @Test func theRequestLogFindsRejectionsAndFilters() {
        var state = F.state(F.afterStory)
        F.press([.character("L"), .character("n")], &state)
        #expect(state.requestRecord(at: state.requestsCursor.selected)?.outcome == .rejected)
        F.press([.character("/")] + F.type("kestrel") + [.enter], &state)
        #expect(state.requestRows.count > 0)
        for position in 0..<state.requestRows.count {
            #expect(state.requestRecord(at: position)?.requester == "kestrel-supply")
        }
        F.press([.character("s")], &state)
        #expect(state.requestsQuery.sortColumn == 0)
    }

    // MARK: Command palette

    @Test func tabCompletesOrganisationsAndDevicePrefixes() {
        var state = F.state()
        F.press([.character(":")] + F.type("nat") + [.tab], &state)
        #expect(state.modal == .palette(TextField("national-grid")))
        F.press([.enter], &state)
        #expect(state.stack == [.organisations, .organisation("national-grid")])

        F.press([.character(":")] + F.type("00db120173") + [.tab], &state)
        #expect(state.modal == .palette(TextField(F.nationalGridDevice.description)))
        F.press([.enter], &state)
        #expect(state.screen == .device(F.nationalGridDevice))
    }

    @Test func theCandidatesAreShownAndAUniqueStartOpensTheDevice() {
        var state = F.state()
        F.press([.character(":")] + F.type("00-DB-12-0"), &state)
        let completion = state.paletteCompletion
        #expect((completion?.total ?? 0) > 1)
        #expect(Self.screen(state).contains("Tab: 00-DB-12-0"))
        F.press([.escape, .character(":")] + F.type("00DB12017") + [.enter], &state)
        #expect(state.screen == .device(F.nationalGridDevice))
        F.press([.character(":")] + F.type("re") + [.tab], &state)
        #expect(state.paletteCompletion?.candidates.contains("reports") == true)
        #expect(state.paletteCompletion?.candidates.contains("reload") == true)
    }

    @Test func aStartNothingHasIsAnErrorNotAJump() {
        var state = F.state()
        F.press([.character(":")] + F.type("zz") + [.tab], &state)
        #expect(state.status?.text.contains("nothing starts 'zz'") == true)
        F.press([.enter], &state)
        #expect(state.status?.level == .error)
        #expect(state.screen == .devices)
    }
}
