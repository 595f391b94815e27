import AnchorCore
import AnchorService
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
        let machine = try OperatorMachine("national-grid", of: store)
        func file(_ variable: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: try #require(machine.environment[variable])))) }
        let console = RemoteStoreService(
            connection: try OperatorConnection(address: dsp.address, certificate: try file("ANCHORDESK_CLIENT_CERT"), key: try file("ANCHORDESK_CLIENT_KEY"),
                                               authority: try file("ANCHORDESK_CA")),
            userKeys: machine.environment["ANCHORDESK_KEYS"], readOnly: false)
        let held = try #require(try store.run(["devices", "--filter", "no=national-grid", "--json"]).json()["devices"] as? [[String: Any]])
            .compactMap { ($0["id"] as? String).flatMap { EUI64($0) } }
        try #require(held.count > 5)

        // A job blocks its thread on the DSP's answers, as the console's job thread does: it runs
        // off the test pool, whose threads the in-process servers of other suites need.
        func perform(_ job: StoreJob, progress: @escaping @Sendable (BulkProgress) -> Bool = { _ in true }) async -> JobOutcome {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: console.perform(job, progress: progress).outcome) }
            }
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
}
