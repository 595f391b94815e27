import AnchorCore
import AnchorService
import AnchorTUI
import Foundation
import OperatorClient
import Synchronization
import Testing
@testable import anchordesk

/// The console's jobs through the DSP's operator API (``RemoteJobs``), as an operator's console
/// runs them: marked devices' hand-backs signed on the operator's machine, a stop between
/// requests, and a departing GNO's cease with its hand-back first, refused when the count the
/// operator confirmed is no longer the DSP's.
@Suite(.serialized) struct RemoteConsoleJobsTests {
    static let subject = "CN=national-grid,O=AnchorDesk demo operators"

    @Test func markedWorkAndACeaseWithItsHandBackRunThroughTheAPI() async throws {
        let store = try DemoStore()
        defer { store.remove() }
        // National Grid's operator may also take the DCC's actions here: its cease follows its hand-back.
        try store.grantDCCActions(to: Self.subject)
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let console = try Self.console(of: try OperatorMachine("national-grid", of: store), at: dsp)
        let held = try Self.devices(of: "national-grid", in: store)
        try #require(held.count > 5)
        func perform(_ job: StoreJob, progress: @escaping @Sendable (BulkProgress) -> Bool = { _ in true }) async -> JobOutcome {
            await Self.perform(job, on: console, progress: progress)
        }

        // Three marked devices, each signed here and decided by the DSP; progress hears of each.
        let heard = Mutex<[Int]>([])
        let marked = MarkedRequestsDraft(service: .updateSecurityCredentials, targets: held.prefix(3).map { .init(device: $0, supplier: "") },
                                         networkOperator: "national-grid")
        let first = await perform(.requests(marked)) { progress in heard.withLock { $0.append(progress.done) }; return true }
        #expect(first.failure == nil && first.bulk?.done == 3 && first.bulk?.succeeded == 3, "\(first)")
        #expect(heard.withLock { $0 } == [1, 2, 3])
        let sent = try store.requestsSinceInit()
        #expect(sent.map { $0["device"] as? String } == held.prefix(3).map(\.description))
        #expect(sent.allSatisfy { $0["outcome"] as? String == "succeeded" && $0["operator"] as? String == Self.subject }, "\(sent)")

        // Stopped after the first of two: the second is never sent.
        let stopped = await perform(.requests(MarkedRequestsDraft(
            service: .updateSecurityCredentials, targets: held[3..<5].map { .init(device: $0, supplier: "") }, networkOperator: "national-grid"))) { _ in false }
        #expect(stopped.interrupted && stopped.bulk?.done == 1, "\(stopped)")
        #expect(try store.requestsSinceInit().count == 4)

        // The cease with its hand-back: refused whole when the DSP's count is not the one confirmed.
        let left = held.count - 4
        let wrongCount = await perform(.lifecycle(LifecycleDraft(action: .cease, organisation: "national-grid", handBack: true, confirmedDevices: left + 1)))
        #expect(wrongCount.failure?.contains("the store changed since you confirmed \(left + 1) devices: \(left) now match; nothing was sent") == true, "\(wrongCount)")
        #expect(try store.requestsSinceInit().count == 4)
        let cease = await perform(.lifecycle(LifecycleDraft(action: .cease, organisation: "national-grid", handBack: true, confirmedDevices: left)))
        #expect(cease.failure == nil && cease.bulk?.done == left && cease.bulk?.succeeded == left, "\(cease)")
        #expect(cease.lifecycle?.action == .cease && cease.lifecycle?.outcome == .succeeded && cease.lifecycle?.operatorSubject == Self.subject, "\(String(describing: cease.lifecycle))")
        #expect((try store.run(["devices", "--filter", "no=national-grid", "--json"]).json()["devices"] as? [[String: Any]])?.isEmpty == true)
        #expect(try store.requestsSinceInit().count == held.count)

        // Confirmed again once ceased: nothing to hand back and nothing to do.
        let again = await perform(.lifecycle(LifecycleDraft(action: .cease, organisation: "national-grid", handBack: true, confirmedDevices: 0)))
        #expect(again.failure == nil && again.lifecycle == nil && again.unchanged?.isEmpty == false, "\(again)")
        #expect(try store.requestsSinceInit().count == held.count)
    }

    /// A Recovery Event from an operator's console: the DSP plans the form's devices for the
    /// confirmation, and signs each command with the Recovery key it holds; refused for an
    /// operator without the DCC's actions, and whole when the count typed is no longer the DSP's.
    @Test func aRecoveryEventIsPlannedAndSignedByTheDSP() async throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let dcc = try Self.console(of: try OperatorMachine("dcc", of: store), at: dsp)
        let held = try Self.devices(of: "national-grid", in: store)
        try #require(held.count > 1)
        var form = RecoveryForm(filter: "no=national-grid")
        form.reason = TextField("National Grid's key compromised")

        // What the form itself says wrong is said before the DSP is asked.
        var badFloor = form
        badFloor.newFloor = TextField("-1")
        #expect(Self.failure(await Self.plan(badFloor, on: dcc))?.contains("new NO floor '-1' is not a whole number") == true)
        // The DSP's refusals, one line each: a party it does not know, an operator without the DCC's actions.
        var unknown = form
        unknown.filter = TextField("no=nobody-such")
        let unknownRefused = await Self.plan(unknown, on: dcc)
        #expect(Self.failure(unknownRefused)?.contains("nobody-such") == true, "\(unknownRefused)")
        let gno = try Self.console(of: try OperatorMachine("national-grid", of: store), at: dsp)
        let refused = try #require(Self.failure(await Self.plan(form, on: gno)))
        #expect(refused.contains("Recovery Event") && !refused.contains("\n"), "\(refused)")

        let preview = try await Self.plan(form, on: dcc).get()
        #expect(preview.count == held.count && preview.skipped == 0)
        #expect(preview.draft.filter == "no=national-grid" && preview.draft.reason == "National Grid's key compromised")
        #expect(!preview.certificates.isEmpty && preview.recovery?.role == .recovery, "\(preview)")

        var stale = preview.draft
        stale.confirmedDevices += 1
        let wrongCount = await Self.perform(.recovery(stale), on: dcc)
        #expect(wrongCount.failure?.contains("the store changed since you confirmed \(held.count + 1) devices: \(held.count) now match; nothing was sent") == true,
                "\(wrongCount)")
        #expect(try store.requestsSinceInit().isEmpty)

        let run = await Self.perform(.recovery(preview.draft), on: dcc)
        #expect(run.failure == nil && run.bulk?.done == held.count && run.bulk?.succeeded == held.count, "\(run)")
        let sent = try store.requestsSinceInit()
        #expect(Set(sent.compactMap { $0["device"] as? String }) == Set(held.map(\.description)))
        #expect(sent.allSatisfy { $0["service"] as? String == "recovery" && $0["operator"] as? String == "CN=dcc,O=AnchorDesk demo operators" },
                "\(sent)")
        // Done: their NO cells hold the ACB's certificates now, so nothing matches the filter.
        let after = try await Self.plan(form, on: dcc).get()
        #expect(after.count == 0 && after.skipped == 0, "\(after)")
    }

    /// The launcher's future-dated SRV6.15.1 from an operator's console: drafted by the DSP with
    /// its ExecutionDateTime, signed here, and recorded as scheduled, naming the operator.
    @Test func aFutureDatedHandBackFromTheLauncherIsScheduledThroughTheAPI() async throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let console = try Self.console(of: try OperatorMachine("national-grid", of: store), at: dsp)
        let device = try #require(try Self.devices(of: "national-grid", in: store).first)
        let due = try #require(Timestamp(iso8601: "2026-12-01T00:00:00Z"))
        let draft = RequestDraft(service: .updateSecurityCredentials, device: device, actingOrganisation: "national-grid", certificate: "acb",
                                 executeAt: due)
        guard case .processed(let record, _) = await Self.offThePool({ console.submit(draft) }) else {
            Issue.record("not processed")
            return
        }
        #expect(record.outcome == .scheduled && record.operatorSubject == Self.subject, "\(record)")
        #expect(try store.requestsSinceInit().map { $0["outcome"] as? String } == ["scheduled"])
    }

    /// A device's certificates page on an operator's console: issued by the DSP's Device CA, the
    /// rows `cert show ID --usage` shows at the DSP; an unknown device is one line.
    @Test func aDevicesCertificatesAreIssuedByTheDSPsDeviceCA() async throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let console = try Self.console(of: try OperatorMachine("cadent", of: store), at: dsp)
        let device = try #require(EUI64("00-DB-12-01-73-F7-8B-92"))
        let page = await Self.offThePool { console.deviceCertificates(device) }
        #expect(page.failure == nil && page.rows.map(\.usage) == [.digitalSigning, .keyAgreement], "\(page)")
        let shown = try store.run(["cert", "show", device.description, "--usage", "ka", "--json"]).json()
        #expect(page.rows.last?.keyIdentifier.replacingOccurrences(of: ":", with: "") == (shown["subjectKeyId"] as? String)?.replacingOccurrences(of: ":", with: ""),
                "\(page.rows) / \(shown)")
        let stranger = try #require(EUI64("00-DB-12-00-00-00-00-01"))
        let unknown = await Self.offThePool { console.deviceCertificates(stranger) }
        #expect(unknown.rows.isEmpty && unknown.failure?.contains("00-DB-12-00-00-00-00-01") == true, "\(unknown)")
    }

    /// An operator's console on `dsp`, with the machine's certificate, key, CA and User keys.
    static func console(of machine: OperatorMachine, at dsp: OperatorDSP) throws -> RemoteStoreService {
        func file(_ variable: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: try #require(machine.environment[variable])))) }
        return RemoteStoreService(
            connection: try OperatorConnection(address: dsp.address, certificate: try file("ANCHORDESK_CLIENT_CERT"), key: try file("ANCHORDESK_CLIENT_KEY"),
                                               authority: try file("ANCHORDESK_CA")),
            userKeys: machine.environment["ANCHORDESK_KEYS"], readOnly: false)
    }

    /// The devices whose NO cells hold `organisation`'s certificates.
    static func devices(of organisation: String, in store: DemoStore) throws -> [EUI64] {
        try #require(try store.run(["devices", "--filter", "no=\(organisation)", "--json"]).json()["devices"] as? [[String: Any]])
            .compactMap { ($0["id"] as? String).flatMap { EUI64($0) } }
    }

    /// A job, run off the test pool (``offThePool(_:)``).
    static func perform(_ job: StoreJob, on console: RemoteStoreService,
                        progress: @escaping @Sendable (BulkProgress) -> Bool = { _ in true }) async -> JobOutcome {
        await offThePool { console.perform(job, progress: progress).outcome }
    }

    /// The DSP's plan for a Recovery form, asked off the test pool (``offThePool(_:)``).
    static func plan(_ form: RecoveryForm, on console: RemoteStoreService) async -> Result<RecoveryPreview, RequestError> {
        await offThePool { console.planRecovery(form) }
    }

    /// A console's call blocks its thread on the DSP's answers, as the console's worker thread
    /// does: it runs on a thread of its own, not the test pool, whose threads the in-process
    /// servers of other suites need.
    static func offThePool<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }

    static func failure(_ planned: Result<RecoveryPreview, RequestError>) -> String? {
        if case .failure(let error) = planned { return error.description }
        return nil
    }
}
