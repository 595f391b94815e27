import AnchorCore
import AnchorService
import AnchorTUI
import Testing

/// Organisation actions, Recovery Events, reports and the audit line, driven by keys.
@Suite("Update: organisations, Recovery Events, reports")
struct LifecycleUpdateTests {
    typealias F = TUIFixture

    /// The organisations view with national-grid (row 6) selected.
    static func onNationalGrid(readOnly: Bool = false) -> AppState {
        var state = F.state(readOnly: readOnly)
        F.press([.character("O")] + Array(repeating: .character("j"), count: 5), &state)
        #expect(state.selectedOrganisation?.id == "national-grid")
        return state
    }

    static func hasJob(_ effects: [Effect]) -> Bool {
        effects.contains { if case .runJob = $0 { true } else { false } }
    }

    @Test func ceaseConfirmationStartsOnCancelAndShowsTheExpectedRefusal() {
        var state = Self.onNationalGrid()
        F.press([.character("x")], &state)
        guard case .lifecycleConfirm(let confirmation) = state.modal else {
            Issue.record("no dialog: \(String(describing: state.modal))")
            return
        }
        #expect(confirmation.focus == .cancel)
        #expect(confirmation.handBack == false)
        #expect(confirmation.canHandBack)
        #expect(confirmation.handBackDevices == 60)
        #expect(confirmation.expected?.reason == .certificatesOnDevices)
        #expect(confirmation.expected?.devicesHoldingCertificates == 60)
        // Enter on Cancel changes nothing.
        #expect(!Self.hasJob(F.press([.enter], &state)))
        #expect(state.modal == nil)
        #expect(state.status?.text.contains("cancelled") == true)
    }

    @Test func aRefusedCeaseIsSentOnlyFromTheConfirmButton() {
        var state = Self.onNationalGrid()
        let effects = F.press([.character("x"), .right, .enter], &state)
        #expect(effects.contains(.runJob(.lifecycle(LifecycleDraft(action: .cease, organisation: "national-grid")))))
        #expect(state.modal == .progress(nil))
    }

    @Test func handBackNeedsTheTypedDeviceCount() {
        var state = Self.onNationalGrid()
        F.press([.character("x"), .character(" "), .right], &state)
        guard case .lifecycleConfirm(let confirmation) = state.modal else {
            Issue.record("no dialog")
            return
        }
        #expect(confirmation.handBack && confirmation.needsTypedCount)
        // Nothing typed, a wrong count, letters: nothing is sent.
        #expect(!Self.hasJob(F.press([.enter], &state)))
        #expect(state.status?.level == .error)
        #expect(state.status?.text.contains("type 60") == true)
        #expect(!Self.hasJob(F.press(F.type("59") + [.enter], &state)))
        F.press([.backspace, .backspace] + F.type("6x0"), &state)
        guard case .lifecycleConfirm(let typed) = state.modal else {
            Issue.record("the dialog closed")
            return
        }
        #expect(typed.typedCount.text == "60")
        let effects = F.press([.enter], &state)
        #expect(effects.contains(.runJob(.lifecycle(LifecycleDraft(
            action: .cease, organisation: "national-grid", handBack: true, confirmedDevices: 60)))))
    }

    @Test func spaceTogglingTheHandBackClearsTheTypedCount() {
        var state = Self.onNationalGrid()
        F.press([.character("x"), .character(" ")] + F.type("60") + [.character(" "), .character(" ")], &state)
        guard case .lifecycleConfirm(let confirmation) = state.modal else {
            Issue.record("no dialog")
            return
        }
        #expect(confirmation.handBack)
        #expect(confirmation.typedCount.text.isEmpty)
    }

    @Test func anActionThatChangesNothingOpensNoDialog() {
        var state = Self.onNationalGrid()
        F.press([.character("u")], &state)
        #expect(state.modal == nil)
        #expect(state.status?.text.hasPrefix("nothing to do") == true)
        // The ACB has no lifecycle here.
        F.press([.character("g"), .character("j"), .character("j"), .character("x")], &state)
        #expect(state.modal == nil)
        #expect(state.status?.level == .warning)
    }

    @Test func revokeBeforeCeaseIsPreviewedAsStillDccUser() {
        var state = Self.onNationalGrid()
        F.press([.character("v")], &state)
        guard case .lifecycleConfirm(let confirmation) = state.modal else {
            Issue.record("no dialog")
            return
        }
        #expect(confirmation.expected?.reason == .stillDccUser)
        #expect(!confirmation.canHandBack)
        F.press([.character(" ")], &state)
        guard case .lifecycleConfirm(let unchanged) = state.modal else {
            Issue.record("the dialog closed")
            return
        }
        #expect(!unchanged.handBack)
    }

    @Test func readOnlyDisablesEveryAction() {
        var state = Self.onNationalGrid(readOnly: true)
        for key in ["u", "x", "v"] {
            F.press([.character(Character(key))], &state)
            #expect(state.modal == nil, "\(key) opened \(String(describing: state.modal))")
            #expect(state.status?.level == .warning)
        }
        // Enter opens the page; the keys are refused there too.
        F.press([.enter, .character("x")], &state)
        #expect(state.screen == .organisation("national-grid"))
        #expect(state.modal == nil)
        // Recovery Event: from the key and from the palette.
        F.press([.escape, .backTab, .backTab, .character("/")] + F.type("no=national-grid") + [.enter, .character("E")], &state)
        #expect(state.screen == .devices)
        #expect(state.modal == nil)
        F.press([.character(":")] + F.type("recovery") + [.enter], &state)
        #expect(state.modal == nil)
        #expect(state.status?.text.contains("read-only") == true)
        // A dialog opened before read-only was set cannot send either.
        var writable = Self.onNationalGrid()
        F.press([.character("x"), .right], &writable)
        writable.readOnly = true
        #expect(!Self.hasJob(F.press([.enter], &writable)))
        var recovery = F.state()
        F.press([.character("/")] + F.type("no=national-grid") + [.enter, .character("E")] + F.type("PMA") + [.enter]
                + F.type("60"), &recovery)
        recovery.readOnly = true
        #expect(!Self.hasJob(F.press([.enter], &recovery)))
        // Audit verification only reads: it stays available.
        var auditing = Self.onNationalGrid(readOnly: true)
        #expect(F.press([.character("A")], &auditing) == [.verifyAudit])
    }

    @Test func recoveryNeedsAFilterAReasonAndTheTypedCount() {
        var state = F.state()
        F.press([.character("E")], &state)
        #expect(state.modal == nil)
        #expect(state.status?.text.contains("filter the devices first") == true)
        F.press([.character("/")] + F.type("no=national-grid") + [.enter, .character("E")], &state)
        guard case .recoveryForm(let form) = state.modal else {
            Issue.record("no form: \(String(describing: state.modal))")
            return
        }
        #expect(form.filter.text == "no=national-grid")
        #expect(form.focus == .reason)
        #expect(form.newFloor.text == "0")
        // No reason: refused, the form stays.
        F.press([.enter], &state)
        #expect(state.status?.text.contains("needs a reason") == true)
        guard case .recoveryForm = state.modal else {
            Issue.record("the form closed")
            return
        }
        // A bad floor.
        F.press(F.type("SMKI PMA decision 42") + [.tab, .control("u")] + F.type("-1") + [.enter], &state)
        #expect(state.status?.text.contains("new NO floor") == true)
        F.press([.control("u"), .enter], &state)
        guard case .recoveryConfirm(let preview, _) = state.modal else {
            Issue.record("no preview: \(String(describing: state.modal))")
            return
        }
        #expect(preview.count == 60)
        #expect(preview.certificates == ["acb-ds", "acb-ka"])
        #expect(preview.draft.reason == "SMKI PMA decision 42")
        #expect(preview.draft.newFloor == OriginatorCounter(0))
        // Enter alone, or a wrong count, sends nothing.
        #expect(!Self.hasJob(F.press([.enter], &state)))
        #expect(!Self.hasJob(F.press(F.type("6") + [.enter], &state)))
        #expect(state.status?.text.contains("type 60") == true)
        // Esc goes back to the form with what was typed.
        F.press([.escape], &state)
        guard case .recoveryForm(let back) = state.modal else {
            Issue.record("Esc did not return to the form")
            return
        }
        #expect(back.reason.text == "SMKI PMA decision 42")
        let effects = F.press([.enter] + F.type("60") + [.enter], &state)
        #expect(effects.contains(.runJob(.recovery(RecoveryDraft(
            filter: "no=national-grid", newFloor: OriginatorCounter(0), reason: "SMKI PMA decision 42", confirmedDevices: 60)))))
    }

    @Test func aRunningJobStopsAfterTheGroupOnEscapeOrCtrlCAndNeverQuits() {
        for key in [Key.escape, .control("c")] {
            var state = F.state()
            state.modal = .progress(BulkProgress(title: "Hand-back", total: 60))
            _ = Update.update(&state, .jobProgress({ var progress = BulkProgress(title: "Hand-back", total: 60); progress.done = 7; return progress }()))
            #expect(!Update.stopRequested(state))
            #expect(F.press([.character("q"), .enter], &state).isEmpty)
            #expect(!Update.stopRequested(state))
            #expect(F.press([key], &state).isEmpty)
            #expect(Update.stopRequested(state))
            // The next group's progress keeps the request to stop.
            _ = Update.update(&state, .jobProgress({ var progress = BulkProgress(title: "Hand-back", total: 60); progress.done = 14; return progress }()))
            #expect(Update.stopRequested(state))
        }
    }

    @Test func aFinishedJobShowsItsOutcomeAndForgetsDerivedData() {
        var state = Self.onNationalGrid()
        #expect(state.holdings != nil)
        var outcome = JobOutcome(job: .lifecycle(LifecycleDraft(action: .cease, organisation: "national-grid")))
        var estate = F.demo
        guard case .change(let change)? = try? OrganisationLifecycle.decide(.cease, organisation: "national-grid", estate: estate, now: F.now) else {
            Issue.record("no change")
            return
        }
        estate.apply(change)
        outcome.lifecycle = change.record
        let effects = Update.update(&state, .jobFinished(JobReport(outcome: outcome, estate: estate)))
        #expect(state.modal == .jobOutcome(outcome))
        #expect(state.status?.level == .error)
        #expect(state.status?.text.contains("REFUSED (certificates-on-devices)") == true)
        #expect(state.holdings == nil)
        #expect(effects.contains(.countHoldings))
    }

    @Test func reportsSwitchAndTakeAnAsOfDate() {
        var state = F.state()
        F.press([.character("P")], &state)
        #expect(state.screen == .reports)
        #expect(state.report?.kind == .postCommissioning)
        #expect(state.report?.postCommissioning?.asOf == F.now)
        F.press([.character("d")] + F.type("2021-13-40") + [.enter], &state)
        #expect(state.status?.level == .error)
        F.press([.control("u")] + F.type("2021-09-01") + [.enter], &state)
        #expect(state.reportAsOf == Timestamp(iso8601: "2021-09-01T23:59:59Z"))
        #expect(state.report?.postCommissioning?.asOf == Timestamp(iso8601: "2021-09-01T23:59:59Z"))
        F.press([.character("t")], &state)
        #expect(state.report?.kind == .counterRisk)
        F.press([.character("t"), .character("G")], &state)
        #expect(state.reportsCursor.selected == (state.report?.rowCount ?? 0) - 1)
        // Tab reaches the reports view too, and Enter on a row opens its device.
        var tabbing = F.state()
        F.press([.tab, .tab, .tab], &tabbing)
        #expect(tabbing.screen == .reports)
        F.press([.enter], &tabbing)
        if case .device = tabbing.screen {} else { Issue.record("Enter did not open the device: \(tabbing.screen)") }
    }

    @Test func auditVerificationIsShownOnTheOrganisationsView() {
        var state = Self.onNationalGrid()
        #expect(F.press([.character("A")], &state) == [.verifyAudit])
        _ = Update.update(&state, .auditVerified(AuditSummary(intact: true, entries: 4, headSequence: 4, headHash: String(repeating: "ab", count: 32))))
        #expect(state.status?.text.hasPrefix("audit trail intact: 4 entries, head #4 abababababababab") == true)
        _ = Update.update(&state, .auditVerified(AuditSummary(intact: false, problem: "entry 3: hash mismatch at journal.jsonl offset 812")))
        #expect(state.status?.level == .error)
        #expect(state.status?.ticksLeft == nil)
    }
}
