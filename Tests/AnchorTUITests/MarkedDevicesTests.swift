import AnchorCore
import AnchorService
import AnchorTUI
import Testing

/// Space marks devices; `r` sends the request the launcher would offer to all of them as one
/// bulk job, after a confirmation whose focus starts on Cancel.
@Suite("Console: marked devices, one job")
struct MarkedDevicesTests {
    typealias F = TUIFixture

    /// The devices list filtered to National Grid's GPFs with the first three marked.
    static func threeMarked() -> AppState {
        var state = F.state()
        F.press([.character("/")] + F.type("no=national-grid") + [.enter, .character(" "), .character(" "), .character(" ")], &state)
        return state
    }

    @Test func spaceMarksAndMovesDownAndEscClearsMarksBeforeTheFilter() {
        var state = Self.threeMarked()
        let firstThree = state.deviceRows.prefix(3).map { F.demo.devices[Int($0)].id }
        #expect(state.marked == Set(firstThree))
        #expect(state.devicesCursor.selected == 3)
        #expect(Renderer.render(state).lines[1].contains("3 marked"))
        #expect(Renderer.render(state).lines.filter { $0.hasPrefix(" *") }.count == 3, "each marked row carries a *")
        F.press([.up, .character(" ")], &state)
        #expect(state.marked.count == 2, "Space again unmarks")
        F.press([.escape], &state)
        #expect(state.marked.isEmpty && state.filterText == "no=national-grid")
        F.press([.escape], &state)
        #expect(state.filterText.isEmpty)
    }

    @Test func rOnMarkedDevicesConfirmsCancelFirstAndRunsOneJob() throws {
        var state = Self.threeMarked()
        F.press([.character("r")], &state)
        guard case .markedConfirm(let confirmation) = state.modal else {
            Issue.record("no confirmation: \(String(describing: state.modal)) \(String(describing: state.status))")
            return
        }
        #expect(confirmation.focus == .cancel)
        #expect(confirmation.draft.service == .updateSecurityCredentials && confirmation.draft.networkOperator == "national-grid")
        #expect(confirmation.draft.targets.map(\.device) == state.marked.sorted())
        #expect(confirmation.expectedToSucceed == 3 && confirmation.expectedRefusals.isEmpty)
        let screen = Renderer.render(state).lines.joined(separator: "\n")
        #expect(screen.contains("Send SRV6.15.1 to 3 marked devices?") && screen.contains("> Cancel <"))

        // Enter on Cancel sends nothing and keeps the marks.
        #expect(F.press([.enter], &state).isEmpty)
        #expect(state.modal == nil && state.marked.count == 3)
        let effects = F.press([.character("r"), .right, .enter], &state)
        #expect(effects == [.runJob(.requests(confirmation.draft))])
        #expect(state.modal == .progress(nil) && state.marked.isEmpty)
    }

    @Test func theJobHandsBackEveryMarkedDeviceThenSRV621PlacesCadentOnThemAll() throws {
        var state = Self.threeMarked()
        let marked = state.marked.sorted()
        let store = MemoryEstateStore(F.demo)
        for (step, expectedService) in [ServiceName.updateSecurityCredentials, .requestHandover].enumerated() {
            let effects = F.press([.character("r"), .right, .enter], &state)
            guard case .runJob(let job)? = effects.first else {
                Issue.record("step \(step): no job; status \(String(describing: state.status))")
                return
            }
            guard case .requests(let draft) = job else { Issue.record("not a marked-devices job"); return }
            #expect(draft.service == expectedService)
            var seen: [BulkProgress] = []
            let outcome = RuntimeTests.perform(job, on: store, groupSize: 2) { seen.append($0); return true }
            #expect(outcome.failure == nil, "\(outcome.failure ?? "")")
            #expect(outcome.bulk?.done == 3 && outcome.bulk?.succeeded == 3, "\(String(describing: outcome.bulk))")
            #expect(seen.map(\.done) == [2, 3], "progress after each durable group")
            _ = Update.update(&state, .jobFinished(JobReport(outcome: outcome, estate: store.estate)))
            #expect(state.status?.text.contains("SRV\(expectedService.rawValue) to 3 marked devices: 3 of 3 sent") == true)
            F.press([.enter], &state)
            // Mark the same devices again for the next step.
            for id in marked { state.marked.insert(id) }
        }
        for id in marked {
            #expect(DeviceList.networkOperatorOwner(store.estate.devices[id]!, store.estate.ledger) == "cadent")
        }
    }

    @Test func devicesNeedingDifferentRequestsAreRefusedWithAReason() {
        var state = F.state()
        // The first row is National Grid's, the fourth is held by the ACB.
        F.press([.character(" "), .down, .down, .character(" ")], &state)
        F.press([.character("r")], &state)
        #expect(state.modal == nil)
        #expect(state.status?.text.contains("mark devices held by one GNO (SRV6.15.1) or all by the ACB (SRV6.21)") == true)
    }

    @Test func readOnlyRefusesTheMarkedJob() {
        var state = F.state(readOnly: true)
        F.press([.character(" "), .character("r")], &state)
        #expect(state.modal == nil && state.status?.text.contains("read-only") == true)
    }
}
