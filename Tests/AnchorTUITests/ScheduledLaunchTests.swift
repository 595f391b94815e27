import AnchorCore
import AnchorService
import AnchorStore
import Foundation
import GPFSimulator
import Testing
@testable import AnchorTUI

/// The console's part in scheduled departures: the launcher's "Execute at" field, the device
/// page's pending line, and the console processing due alerts when it loads.
@Suite("Console: scheduled hand-backs")
struct ScheduledLaunchTests {
    static let due = TUIFixture.now.adding(days: 1)

    func handBackForm() throws -> LauncherForm {
        let device = try #require(TUIFixture.demo.devices.first { DeviceList.networkOperatorOwner($0, TUIFixture.demo.ledger) == "national-grid" })
        return LauncherForm(RequestDraft.defaults(for: .updateSecurityCredentials, device: device, ledger: TUIFixture.demo.ledger, legacy: false))
    }

    @Test func theLauncherFutureDatesAHandBackAndRefusesATimeThatIsNotOne() throws {
        var form = try handBackForm()
        #expect(form.fields.last == .executeAt)
        #expect(try form.draft().executeAt == nil, "empty: at once")
        form.executeAt = TextField(Self.due.description)
        let draft = try form.draft()
        #expect(draft.executeAt == Self.due)
        guard case .updateSecurityCredentials(let request) = try draft.serviceRequest(ledger: TUIFixture.demo.ledger) else {
            Issue.record("not SRV6.15.1"); return
        }
        #expect(request.execution == .at(Self.due))
        let preview = try RequestPreview.make(draft, estate: TUIFixture.demo, glyphs: .unicode)
        #expect(preview.expectedOutcome == .scheduled)
        #expect(preview.lines.contains { $0.label == "executes" && $0.value.contains("0x8F66") })
        form.executeAt = TextField("next tuesday")
        #expect(throws: RequestError.self) { try form.draft() }
    }

    @Test func aScheduledHandBackShowsOnTheDevicePageAndItsAlertIsProcessedWhenTheConsoleLoadsAfterTheDueTime() throws {
        let directory = try TUIFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var form = try handBackForm()
        form.executeAt = TextField(Self.due.description)
        let draft = try form.draft()
        let before = DiskStoreService(directory: directory, readOnly: false, demoData: nil, clock: .fixed(TUIFixture.now))
        guard case .processed(let record, let estate?) = before.submit(draft) else {
            Issue.record("not processed"); return
        }
        #expect(record.outcome == .scheduled)
        let device = try #require(estate.devices[draft.device])
        let page = DeviceDetailPage.lines(device, estate.ledger, width: 100, glyphs: .unicode).map { $0.map(\.text).joined() }
        #expect(page.contains { $0.hasPrefix("Scheduled hand-back due \(Self.due)") })
        guard case .loaded(_, let unchanged, _) = before.load() else { Issue.record("not loaded"); return }
        #expect(unchanged == nil, "nothing is due yet")

        let after = DiskStoreService(directory: directory, readOnly: false, demoData: nil, clock: .fixed(Self.due.adding(days: 1)))
        guard case .loaded(let loaded, let notice, _) = after.load() else { Issue.record("not loaded"); return }
        #expect(notice?.contains("alerts: 1 arrived; 1 processed: 1 executed (1 counters recorded)") == true, "\(String(describing: notice))")
        #expect(loaded.ledger.recordedCounters[draft.device] == record.originatorCounter)
        #expect(loaded.ledger.pendingCommand(for: draft.device) == nil)

        let readOnly = DiskStoreService(directory: directory, readOnly: true, demoData: nil, clock: .fixed(Self.due.adding(days: 1)))
        guard case .loaded(let seen, _, _) = readOnly.load() else { Issue.record("not loaded"); return }
        #expect(seen == loaded)
    }
}

/// The launcher's "New floor" field: `--new-floor` in the console.
@Suite("Console: the SRV6.15.1 new floor")
struct NewFloorFieldTests {
    @Test func aTypedFloorIsSentAndExplainedAndANonNumberIsRefused() throws {
        let device = try #require(TUIFixture.demo.devices.first { DeviceList.networkOperatorOwner($0, TUIFixture.demo.ledger) == "national-grid" })
        var form = LauncherForm(RequestDraft.defaults(for: .updateSecurityCredentials, device: device, ledger: TUIFixture.demo.ledger, legacy: false))
        #expect(form.fields.contains(.newFloor))
        let byDefault = try RequestPreview.make(try form.draft(), estate: TUIFixture.demo, glyphs: .unicode)
        #expect(byDefault.lines.contains { $0.label == "new floor" && $0.value.contains("default = the counter") })
        form.newFloor = TextField("18446744073709551615")
        let draft = try form.draft()
        #expect(draft.newFloor == OriginatorCounter(UInt64.max))
        guard case .updateSecurityCredentials(let request) = try draft.serviceRequest(ledger: TUIFixture.demo.ledger) else {
            Issue.record("not SRV6.15.1"); return
        }
        #expect(request.newFloor == OriginatorCounter(UInt64.max))
        let typed = try RequestPreview.make(draft, estate: TUIFixture.demo, glyphs: .unicode)
        #expect(typed.lines.contains { $0.label == "new floor" && $0.value.hasPrefix("18446744073709551615  (typed") })
        for bad in ["18446744073709551616", "-1", "12a"] {
            form.newFloor = TextField(bad)
            #expect(throws: RequestError.self) { try form.draft() }
        }
    }
}
